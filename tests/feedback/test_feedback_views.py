"""Every feedback page for every role, anonymity in the HTML, and query counts on lists."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.models import Answer, HasAnswered, PeerObservation, Response
from feedback.services.certificates import issue_teaching_certificate
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.feedback import after_close, approve_all_text, give_feedback, past_session
from tests.support import html as parsed

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "student", "tutor", "committee"]


@pytest.fixture
def world():
    tutor = TutorFactory(full_name="Tutor Theo")
    session, students = past_session(attendees=4, tutors=[tutor], days_ago=20)
    with time_machine.travel(session.ends_at + timedelta(hours=1), tick=False):
        for s in students[:3]:
            give_feedback(s, session, text=f"Comment from {s.full_name}")
    approve_all_text()
    cert = issue_teaching_certificate(tutor, session.starts_at.date(), session.starts_at.date())
    return {
        "session": session,
        "tutor": tutor,
        "students": students,
        "cert": cert,
        "student": students[3],
        "committee": CommitteeFactory(),
    }


def _client(client, world, role):
    user = {"student": world["student"], "tutor": world["tutor"], "committee": world["committee"]}
    if role != "anonymous":
        client.force_login(user[role])
    return client


def _urls(world):
    s, cert = world["session"], world["cert"]
    return {
        "mine": reverse("feedback:mine"),
        "answer": reverse("feedback:answer", args=[s.pk]),
        "teaching": reverse("feedback:teaching"),
        "teaching_session": reverse("feedback:teaching_session", args=[s.pk]),
        "observe": reverse("feedback:observe", args=[s.pk]),
        "certificates": reverse("feedback:certificates"),
        "pdf": reverse("feedback:certificate_pdf", args=[cert.code]),
        "verify": reverse("feedback:verify", args=[cert.code]),
        "committee": reverse("feedback:committee"),
        "review": reverse("feedback:review"),
        "export": reverse("feedback:export"),
        "report": reverse("feedback:report"),
    }


# expected status per (page, role); 302 = sent to log in
EXPECTED = {
    "mine": [302, 200, 200, 200],
    "answer": [302, 200, 200, 200],  # tutor/committee get the "not eligible" page (200)
    "teaching": [302, 403, 200, 200],
    "teaching_session": [302, 403, 200, 404],
    "observe": [302, 403, 403, 200],
    "certificates": [302, 200, 200, 200],
    "pdf": [302, 404, 200, 200],
    "verify": [200, 200, 200, 200],
    "committee": [302, 403, 403, 200],
    "review": [302, 403, 403, 200],
    "export": [302, 403, 403, 200],
    "report": [302, 403, 403, 200],
}


@pytest.mark.parametrize("page", list(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_permissions_for_every_role(client, world, page, role):
    response = _client(client, world, role).get(_urls(world)[page])
    assert response.status_code == EXPECTED[page][ROLES.index(role)], (page, role)


def test_review_decisions_are_committee_only(client, world):
    answer = Answer.objects.exclude(value_text="").first()
    url = reverse("feedback:review_decide", args=[answer.pk])
    for role, status in zip(ROLES, [302, 403, 403, 302], strict=True):
        c = _client(client, world, role)
        assert c.post(url, {"decision": "hidden"}).status_code == status
        client.logout()
    answer.refresh_from_db()
    assert answer.review == "hidden"


def test_the_tutor_pages_never_show_who_answered(client, world):
    client.force_login(world["tutor"])
    html = client.get(reverse("feedback:teaching")).content.decode()
    html += client.get(
        reverse("feedback:teaching_session", args=[world["session"].pk])
    ).content.decode()
    assert "Comment from" in parsed.text(html)
    for student in world["students"]:
        assert student.email not in html
        # the only trace of a student is the comment text they chose to write
        assert html.count(student.full_name) == html.count(f"Comment from {student.full_name}")


def test_the_committee_pages_show_no_respondent(client, world):
    client.force_login(world["committee"])
    html = ""
    for name in ["committee", "report", "export"]:
        html += client.get(reverse(f"feedback:{name}")).content.decode()
    for student in world["students"][3:]:
        assert student.email not in html and student.full_name not in html


def test_a_tutor_sees_results_only_once_the_window_closes_with_the_threshold_met(client, settings):
    settings.MEDED_FEEDBACK_MIN_RESPONSES = 3
    tutor = TutorFactory()
    session, students = past_session(attendees=3, tutors=[tutor])
    client.force_login(tutor)
    url = reverse("feedback:teaching_session", args=[session.pk])
    for student in students:
        give_feedback(student, session, overall=2 if student != students[2] else 5)
    html = client.get(url).content.decode()
    assert "Feedback is open until" in html and "mean" not in html
    with after_close():
        client.force_login(tutor)
        html = client.get(url).content.decode()
    assert "mean 3.00" in parsed.text(html)
    assert "3.00" in [strong.text for strong in parsed.elements(html, "strong")]


def test_a_student_submits_the_form(client):
    session, (student,) = past_session(attendees=1)
    client.force_login(student)
    page = client.get(reverse("feedback:answer", args=[session.pk])).content.decode()
    assert parsed.elements(page, "fieldset") and "Strongly agree" in page
    assert "I attended live" in page
    data = {"mode": "live", "q_pace": "About right", "q_recommend": "9", "q_went_well": "Clear"}
    for key in [
        "overall",
        "knowledge",
        "confidence",
        "motivation",
        "supported",
        "community",
        "relevance",
        "explained",
    ]:
        data[f"q_{key}"] = "4"
    response = client.post(reverse("feedback:answer", args=[session.pk]), data)
    assert response.status_code == 302
    assert Response.objects.count() == 1 and HasAnswered.objects.count() == 1
    again = client.get(reverse("feedback:answer", args=[session.pk])).content.decode()
    assert "already given feedback" in again


def test_a_missing_answer_shows_an_error_and_saves_nothing(client):
    session, (student,) = past_session(attendees=1)
    client.force_login(student)
    response = client.post(reverse("feedback:answer", args=[session.pk]), {"mode": "live"})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not Response.objects.exists() and not HasAnswered.objects.exists()


def test_a_committee_member_files_an_observation_the_tutor_reads(client, world):
    client.force_login(world["committee"])
    data = {"tutor": world["tutor"].pk, "strengths": "Lovely pacing", "suggestions": "More Qs"}
    data |= {
        f"score_{k}": "3"
        for k in ["objectives", "structure", "clarity", "engagement", "accuracy", "materials"]
    }
    assert (
        client.post(reverse("feedback:observe", args=[world["session"].pk]), data).status_code
        == 302
    )
    assert PeerObservation.objects.count() == 1
    client.force_login(world["tutor"])
    assert "Lovely pacing" in client.get(reverse("feedback:teaching")).content.decode()


def test_a_senior_tutor_may_observe_a_colleague(client, world):
    senior = TutorFactory(year_of_study="6")
    junior = TutorFactory(year_of_study="3")
    url = reverse("feedback:observe", args=[world["session"].pk])
    client.force_login(senior)
    assert client.get(url).status_code == 200
    assert url in parsed.links(client.get(reverse("feedback:teaching")).content)
    client.force_login(junior)
    assert client.get(url).status_code == 403


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def _page_counts(client, pages) -> list[int]:
    """Queries for each (member, url) page."""
    counts = []
    for user, url in pages:
        client.force_login(user)
        counts.append(_count(client, url))
    return counts


def test_list_pages_use_the_same_number_of_queries_for_1_and_20_rows(client):
    tutor = TutorFactory()
    student = UserFactory()
    committee = CommitteeFactory()

    def build(n):
        for _ in range(n):
            session, students = past_session(attendees=3, tutors=[tutor], days_ago=20)
            with time_machine.travel(session.ends_at + timedelta(hours=1), tick=False):
                for s in students:
                    give_feedback(s, session, text="Good")
            from tests.factories.feedback import attend

            attend(session, student=student)

    pages = [
        (student, reverse("feedback:mine")),
        (tutor, reverse("feedback:teaching")),
        (committee, reverse("feedback:committee")),
        (committee, reverse("feedback:review")),
        (committee, reverse("feedback:report")),
    ]
    build(1)
    one = _page_counts(client, pages)
    build(19)
    assert _page_counts(client, pages) == one


def test_the_home_page_lists_feedback_awaiting_the_member(client):
    session, (student,) = past_session(attendees=1)
    client.force_login(student)
    html = client.get("/").content.decode()
    assert "Feedback awaiting you" in html and session.title in html
    give_feedback(student, session)
    assert "Feedback awaiting you" not in client.get("/").content.decode()


def test_the_forms_list_uses_the_same_number_of_queries_for_1_and_20_forms(client):
    from feedback.services.questionnaires import copy_form_for_round, ensure_default_form
    from tests.factories.tutors import RecruitmentRoundFactory

    client.force_login(CommitteeFactory())
    default = ensure_default_form()
    url = reverse("feedback:forms")
    one = _count(client, url)
    for _ in range(19):
        copy_form_for_round(default, RecruitmentRoundFactory())
    assert _count(client, url) == one


def test_committee_form_pages_for_every_role(client, world):
    from feedback.models import FeedbackForm
    from feedback.services.questionnaires import ensure_default_form

    form = ensure_default_form()
    pages = {
        reverse("feedback:forms"): [302, 403, 403, 200],
        reverse("feedback:form_edit", args=[form.pk]): [302, 403, 403, 200],
        reverse("feedback:verify_lookup"): [200, 200, 200, 200],
    }
    for url, statuses in pages.items():
        for role, status in zip(ROLES, statuses, strict=True):
            client.logout()
            assert _client(client, world, role).get(url).status_code == status, (url, role)
    copy_url = reverse("feedback:form_copy")
    for role, status in zip(ROLES, [302, 403, 403, 200], strict=True):
        client.logout()
        # an empty post: the committee gets the page back with errors, nobody else gets in
        assert _client(client, world, role).post(copy_url, {}).status_code == status, role
    assert FeedbackForm.objects.count() == 1


def test_issuing_certificates_for_every_role(client, world):
    """Only a tutor gets a teaching certificate; a member without attendance at a series gets
    the form back with a message; nobody signed out gets anything."""
    from feedback.models import Certificate

    day = world["session"].starts_at.date().isoformat()
    teaching = reverse("feedback:issue_teaching")
    before = Certificate.objects.count()
    for role, status, made in [
        ("anonymous", 302, 0),
        ("student", 302, 0),
        ("committee", 302, 0),
        ("tutor", 302, 1),
    ]:
        client.logout()
        response = _client(client, world, role).post(teaching, {"start": day, "end": day})
        assert response.status_code == status, role
        assert Certificate.objects.count() == before + made, role
    attendance = reverse("feedback:issue_attendance")
    for role, status in zip(ROLES, [302, 200, 200, 200], strict=True):
        client.logout()
        assert _client(client, world, role).post(attendance, {}).status_code == status, role
    assert Certificate.objects.count() == before + 1
    for name in ["issue_teaching", "issue_attendance"]:
        client.force_login(world["tutor"])
        assert client.get(reverse(f"feedback:{name}")).status_code == 405


def test_certificates_and_export_use_the_same_number_of_queries_for_1_and_20(client):
    from feedback.services.certificates import issue_attendance_certificate
    from tests.factories.sessions import SeriesFactory

    student = UserFactory()
    committee = CommitteeFactory()

    def build(n):
        for _ in range(n):
            series = SeriesFactory()
            session, students = past_session(attendees=3, series=series)
            from tests.factories.feedback import attend

            attend(session, student=student)
            for s in students:
                give_feedback(s, session, text="Good")
            issue_attendance_certificate(student, series)

    pages = [(student, reverse("feedback:certificates")), (committee, reverse("feedback:export"))]
    build(1)
    one = _page_counts(client, pages)
    build(19)
    assert _page_counts(client, pages) == one
