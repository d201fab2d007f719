"""A student practises by keyboard on a phone; a student sits a short mock exam, reloads in the
middle and finishes; the writing, review and committee pages. axe on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sessions_app.questions import bank, exams
from sessions_app.questions.models import ExamAttempt, PracticeAnswer, Question
from tests.browser.conftest import assert_accessible, assert_fits_320, login
from tests.factories.core import CommitteeFactory, TopicFactory, TutorFactory, UserFactory
from tests.factories.questions import mock_exam_session, paper_with, published

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    context.set_default_timeout(30_000)
    pg = context.new_page()
    yield pg
    context.close()


def test_a_student_practises_by_keyboard_at_375px(phone):
    topic = TopicFactory(code="CARD-01", title="ECG interpretation", years=[3])
    for _ in range(2):
        published(topics=[topic], answer="D")
    student = UserFactory(email="practice@demo.meded.test", year_of_study="3")
    login(phone, student.email)
    phone.goto("/questions/practice/")
    assert_accessible(phone)
    assert_fits_320(phone)
    phone.fill("#id_count", "2")
    phone.get_by_role("button", name="Start").click()
    phone.wait_for_url("**/questions/practice/*/1/")
    assert_accessible(phone)
    assert_fits_320(phone)
    # 3 chooses C, the down arrow moves to D, Enter checks the answer.
    phone.locator("body").press("3")
    assert phone.locator("input[name=choice][value=C]").is_checked()
    phone.keyboard.press("ArrowDown")
    assert phone.locator("input[name=choice][value=D]").is_checked()
    phone.keyboard.press("Enter")
    expect(phone.get_by_text("Correct.")).to_be_visible()
    expect(phone.get_by_role("heading", name="Explanation")).to_be_visible()
    assert_accessible(phone)
    assert_fits_320(phone)
    phone.locator("#next-question").focus()
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/questions/practice/*/2/")
    phone.locator("body").press("a")
    assert phone.locator("input[name=choice][value=A]").is_checked()
    phone.keyboard.press("Enter")
    expect(phone.get_by_text("Not quite: the answer is D.")).to_be_visible()
    phone.locator("#next-question").click()
    expect(phone.get_by_text("You scored 1 out of 2.")).to_be_visible()
    assert_accessible(phone)
    phone.goto("/questions/progress/")
    expect(phone.get_by_text("CARD-01 ECG interpretation")).to_be_visible()
    assert_accessible(phone)
    assert_fits_320(phone)
    assert PracticeAnswer.objects.filter(correct=True).count() == 1


def test_a_student_sits_a_mock_exam_reloads_and_finishes(page):
    student = UserFactory(email="sitter@demo.meded.test")
    session = mock_exam_session(timezone.now() - timedelta(minutes=1), minutes=60)
    questions = [published(answer="B", stem=f"Exam stem number {i}?") for i in range(3)]
    paper = paper_with(questions, session=session, time_limit=30, students=[student])
    items = list(paper.items.order_by("position"))
    login(page, student.email)
    page.goto("/questions/exams/")
    assert_accessible(page)
    page.get_by_role("link", name=paper.title).click()
    assert_accessible(page)
    page.get_by_role("button", name="Start the exam").click()
    assert page.locator("#exam-timer").is_visible()
    assert_accessible(page)
    page.locator(f"label[for=item-{items[0].pk}-B]").click()
    page.locator(f"#save-{items[0].pk}").get_by_text("Saved.").wait_for()
    page.locator(f"label[for=item-{items[1].pk}-C]").click()
    page.locator(f"#save-{items[1].pk}").get_by_text("Saved.").wait_for()
    page.reload()
    assert page.locator(f"#item-{items[0].pk}-B").is_checked()
    assert page.locator(f"#item-{items[1].pk}-C").is_checked()
    expect(page.get_by_text("2 of 3 answered")).to_be_visible()
    page.locator(f"label[for=item-{items[2].pk}-B]").click()
    page.locator(f"#save-{items[2].pk}").get_by_text("Saved.").wait_for()
    page.get_by_role("button", name="Submit the exam").click()
    expect(
        page.get_by_text("Your results appear here once the committee releases them.")
    ).to_be_visible()
    assert_accessible(page)
    attempt = ExamAttempt.objects.get()
    assert attempt.submitted_at is not None and not attempt.auto_submitted
    assert attempt.score == 2
    assert dict(attempt.answers.values_list("item_id", "chosen")) == {
        items[0].pk: "B",
        items[1].pk: "C",
        items[2].pk: "B",
    }


def test_the_exam_submits_itself_when_time_is_up(page):
    student = UserFactory(email="slow@demo.meded.test")
    start = timezone.now() - timedelta(seconds=58)
    session = mock_exam_session(start, minutes=60)
    paper = paper_with([published()], session=session, time_limit=1, students=[student])
    exams.start_attempt(student, paper, now=start)
    login(page, student.email)
    page.goto(f"/questions/exams/{paper.pk}/")
    page.get_by_text("Submitted").first.wait_for(timeout=15_000)
    attempt = ExamAttempt.objects.get()
    assert attempt.submitted_at is not None


def test_tutor_writes_reviewer_approves_and_committee_pages_pass_axe(page):
    tutor = TutorFactory(email="writer@demo.meded.test")
    topic = TopicFactory(code="RESP-01", title="Asthma")
    login(page, tutor.email)
    page.goto("/questions/")
    assert_accessible(page)
    page.get_by_role("link", name="Questions you wrote").first.click()
    assert_accessible(page)
    page.get_by_role("link", name="Write a question").click()
    assert_accessible(page)
    page.fill("#id_stem", "Which finding marks life-threatening asthma?")
    for letter, text in zip(
        "abcde", ["PEF 60%", "HR 115", "Silent chest", "RR 26", "Talking"], strict=True
    ):
        page.fill(f"#id_option_{letter}", text)
    page.check("#id_answer_2")
    page.fill("#id_explanation", "A silent chest is life-threatening.")
    page.select_option("#id_topics", str(topic.pk))
    page.get_by_role("button", name="Save and send to review").click()
    expect(page.get_by_text("Awaiting review").first).to_be_visible()
    assert_accessible(page)
    question = Question.objects.get()
    assert question.status == "in_review"

    chair = CommitteeFactory(email="chair@demo.meded.test")
    page.context.clear_cookies()
    login(page, chair.email)
    page.goto("/questions/review/")
    assert_accessible(page)
    page.get_by_role("link", name=f"Q{question.pk}").click()
    page.check("#decision-approve")
    page.get_by_role("button", name="Record decision").click()
    question.refresh_from_db()
    assert question.status == "published"
    for url in (
        "/committee/questions/",
        "/committee/questions/import/",
        "/committee/questions/reviewers/",
        "/committee/papers/",
        "/committee/papers/new/",
    ):
        page.goto(url)
        assert_accessible(page)


def test_committee_paper_statistics_and_results_pages_pass_axe(page):
    chair = CommitteeFactory(email="boss@demo.meded.test")
    start = timezone.now() - timedelta(days=1)
    students = [UserFactory() for _ in range(5)]
    paper = paper_with(
        [published(answer="A") for _ in range(3)],
        session=mock_exam_session(start),
        committee=chair,
        students=students,
    )
    for n, student in enumerate(students):
        exams.start_attempt(student, paper, now=start)
        for k, item in enumerate(paper.items.all()):
            exams.save_answer(
                student,
                paper,
                item.pk,
                "A" if k <= n % 3 else "B",
                now=start + timedelta(minutes=1),
            )
        exams.submit(student, paper, now=start + timedelta(minutes=2))
    exams.release_results(chair, paper)
    bank.flag_question(students[0], published(), "unclear", "Which side?")
    login(page, chair.email)
    for url in (
        f"/committee/papers/{paper.pk}/",
        f"/committee/papers/{paper.pk}/statistics/",
        "/questions/review/",
    ):
        page.goto(url)
        assert_accessible(page)
    page.context.clear_cookies()
    students[0].email = "s0@demo.meded.test"
    students[0].save()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=students[0]).update(email=students[0].email)
    login(page, students[0].email)
    page.goto(f"/questions/exams/{paper.pk}/results/")
    expect(page.get_by_text("You scored")).to_be_visible()
    assert_accessible(page)


def test_an_examiner_marks_on_a_phone_through_a_dropped_connection(phone_page):
    from sessions_app.questions import osce
    from sessions_app.questions.models import OsceSheet
    from tests.factories.sessions import BookingFactory, TeachingSessionFactory

    examiner = TutorFactory(email="examiner@demo.meded.test")
    candidate = UserFactory(full_name="Cara Candidate")
    session = TeachingSessionFactory(kind="clinical_skills", tutors=[examiner])
    BookingFactory(session=session, student=candidate)
    osce.create_station(
        CommitteeFactory(),
        title="Cardiovascular examination",
        scenario="Examine the heart.",
        session=session,
        checklist=["Gains consent", "Washes hands", "Palpates apex beat"],
    )
    login(phone_page, examiner.email)
    phone_page.goto("/questions/")
    phone_page.get_by_role("link", name="Cardiovascular examination").click()
    phone_page.get_by_role("button", name="Open sheet").click()
    assert_accessible(phone_page)
    assert_fits_320(phone_page)
    phone_page.context.set_offline(True)
    phone_page.locator("label[for^=item-]").first.click()
    phone_page.locator("label[for=rating-4]").click()
    phone_page.fill("#comments", "Calm and systematic.")
    phone_page.get_by_role("button", name="Save marks").click()
    expect(phone_page.get_by_text("Offline: marks kept on this phone")).to_be_visible()
    assert not OsceSheet.objects.exists()
    phone_page.context.set_offline(False)
    expect(phone_page.get_by_text("Saved.")).to_be_visible(timeout=15_000)
    sheet = OsceSheet.objects.get()
    assert sheet.global_rating == 4 and sheet.comments == "Calm and systematic."
    assert sheet.ticked.count() == 1


def test_a_reviewer_writes_an_osce_station_by_keyboard_at_320px(phone_page):
    """Items added, numbered and reordered by typing, never dragging; axe on every page."""
    from sessions_app.questions.models import OsceStation
    from tests.factories.sessions import TeachingSessionFactory

    session = TeachingSessionFactory(kind="clinical_skills", title="Clinical skills: knees")
    tutor = TutorFactory(email="reviewer@demo.meded.test")
    bank.set_reviewer(CommitteeFactory(), tutor, True)
    login(phone_page, tutor.email)
    phone_page.goto("/questions/")
    phone_page.get_by_role("link", name="OSCE stations").click()
    assert_accessible(phone_page)
    phone_page.get_by_role("link", name="Write a station").click()
    assert_accessible(phone_page)
    assert_fits_320(phone_page)
    phone_page.fill("#id_title", "Knee examination")
    phone_page.fill("#id_scenario", "A footballer twisted his knee. Examine it.")
    phone_page.select_option("#id_session", str(session.pk))
    phone_page.fill("#id_items-0-text", "Look: swelling, scars, alignment")
    phone_page.fill("#id_items-0-ORDER", "2")
    phone_page.fill("#id_items-1-text", "Introduces self and gains consent")
    phone_page.fill("#id_items-1-ORDER", "1")
    phone_page.get_by_role("button", name="Add rows").press("Enter")
    expect(phone_page.locator("#id_items-5-text")).to_be_visible()
    phone_page.fill("#id_items-5-text", "Special tests: anterior drawer")
    phone_page.fill("#id_items-5-marks", "3")
    phone_page.fill("#id_items-5-ORDER", "3")
    phone_page.get_by_role("button", name="Save station").press("Enter")
    expect(phone_page.get_by_text("Station “Knee examination” saved.")).to_be_visible()
    assert_accessible(phone_page)
    assert_fits_320(phone_page)
    station = OsceStation.objects.get()
    assert [(i.text, i.marks) for i in station.items.all()] == [
        ("Introduces self and gains consent", 1),
        ("Look: swelling, scars, alignment", 1),
        ("Special tests: anterior drawer", 3),
    ]
