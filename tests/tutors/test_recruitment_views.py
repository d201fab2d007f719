"""Recruitment pages: who may see what, blind review, list query counts, CSV roster."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.tutors import (
    ApplicationFactory,
    InterviewSlotFactory,
    RecruitmentRoundFactory,
    applications_closed,
)
from tests.support.mailings import confirm_on_the_page
from tutors.models import Application, Question, RoundState
from tutors.recruitment.services.recruitment import add_default_rubric
from tutors.recruitment.services.reviewing import score_application

pytestmark = pytest.mark.django_db
A = Application.Status


@pytest.fixture
def world():
    round = applications_closed(blind_review=True)
    add_default_rubric(round)
    app = ApplicationFactory(round=round, applicant=UserFactory(full_name="Zed Secretname"))
    q = Question.objects.create(round=round, kind="file", label="CV")
    answer = app.answers.create(question=q, file_name="cv.pdf")
    slot = InterviewSlotFactory(round=round)
    return round, app, answer, slot


def committee_urls(round, app, answer):
    return [
        reverse("tutors_committee_rounds"),
        reverse("tutors_committee_round_new"),
        reverse("tutors_committee_roster_all"),
        reverse("tutors_committee_round", args=[round.pk]),
        reverse("tutors_committee_round_edit", args=[round.pk]),
        reverse("tutors_committee_applications", args=[round.pk]),
        reverse("tutors_committee_application", args=[round.pk, app.pk]),
        reverse("tutors_committee_answer_file", args=[round.pk, answer.pk]),
        reverse("tutors_committee_slots", args=[round.pk]),
        reverse("tutors_committee_roster", args=[round.pk]),
    ]


@pytest.mark.parametrize("role", ["anonymous", "student", "tutor"])
def test_committee_pages_are_closed_to_everyone_else(client, world, role):
    round, app, answer, _ = world
    if role != "anonymous":
        client.force_login(UserFactory() if role == "student" else TutorFactory())
    for url in committee_urls(round, app, answer):
        response = client.get(url)
        assert response.status_code == (302 if role == "anonymous" else 403), url
    for name in ("tutors_committee_round_state", "tutors_committee_release"):
        response = client.post(reverse(name, args=[round.pk]), {"state": "interviewing"})
        assert response.status_code == (302 if role == "anonymous" else 403)
    round.refresh_from_db()
    assert round.state == RoundState.APPLICATIONS_OPEN


def test_committee_sees_every_page(client, world):
    round, app, answer, _ = world
    client.force_login(CommitteeFactory())
    for url in committee_urls(round, app, answer)[:-3] + committee_urls(round, app, answer)[-2:]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ["student", "tutor", "committee"])
def test_applicant_pages_for_each_role(client, world, role):
    user = {"student": UserFactory, "tutor": TutorFactory, "committee": CommitteeFactory}[role]()
    client.force_login(user)
    assert client.get(reverse("tutors_home")).status_code == 200
    assert client.get(reverse("tutors_apply")).status_code == 200
    _, app, _, _ = world
    # someone else's application is not found, not shown
    assert client.get(reverse("tutors_interview", args=[app.pk])).status_code == 404
    assert client.post(reverse("tutors_withdraw", args=[app.pk])).status_code == 404


def test_anonymous_is_sent_to_login_from_applicant_pages(client, world):
    app = world[1]
    for url in (
        reverse("tutors_home"),
        reverse("tutors_apply"),
        reverse("tutors_interview", args=[app.pk]),
    ):
        assert client.get(url).status_code == 302


def test_an_applicant_never_sees_scores_or_others(client, world):
    round, app, _, _ = world
    score_application(CommitteeFactory(), app, _all_threes(round), "Strong motivation")
    ApplicationFactory(round=round, applicant=UserFactory(full_name="Other Person"))
    client.force_login(app.applicant)
    html = (
        client.get(reverse("tutors_home")).content.decode()
        + client.get(reverse("tutors_apply")).content.decode()
    )
    assert "Strong motivation" not in html and "Other Person" not in html and "3.00" not in html


def _all_threes(round):
    return {c.pk: 3 for c in round.criteria.filter(stage="review")}


def test_blind_review_keeps_names_and_emails_out_of_the_html(client, world):
    round, app, _answer, slot = world
    slot.bookings.create(application=app)
    client.force_login(CommitteeFactory())
    pages = [
        reverse("tutors_committee_applications", args=[round.pk]),
        reverse("tutors_committee_applications", args=[round.pk]) + "?sort=name&q=Zed",
        reverse("tutors_committee_application", args=[round.pk, app.pk]),
        reverse("tutors_committee_slots", args=[round.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert "Secretname" not in html and app.applicant.email not in html, url
        assert "cv.pdf" not in html
    assert app.reference in client.get(pages[0]).content.decode()


def test_others_scores_are_hidden_until_the_reviewer_scores(client, world):
    round, app, _, _ = world
    round.blind_review = False
    round.save()
    score_application(CommitteeFactory(full_name="First Reviewer"), app, _all_threes(round), "")
    me = CommitteeFactory()
    client.force_login(me)
    list_url = reverse("tutors_committee_applications", args=[round.pk])
    assert "hidden until you score" in client.get(list_url).content.decode()
    # filtering by score cannot reveal it either
    assert app.reference not in client.get(list_url + "?min_score=2").content.decode()
    detail = reverse("tutors_committee_application", args=[round.pk, app.pk])
    assert "First Reviewer" not in client.get(detail).content.decode()
    score_application(me, app, _all_threes(round), "")
    assert "First Reviewer" in client.get(detail).content.decode()
    assert app.reference in client.get(list_url + "?min_score=2").content.decode()


def test_review_list_queries_do_not_grow_with_rows(client):
    round = RecruitmentRoundFactory()
    add_default_rubric(round)
    reviewer = CommitteeFactory()
    client.force_login(reviewer)
    url = reverse("tutors_committee_applications", args=[round.pk])

    def count():
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    app = ApplicationFactory(round=round)
    score_application(reviewer, app, _all_threes(round), "")
    one = count()
    for _ in range(19):
        a = ApplicationFactory(round=round)
        score_application(reviewer, a, _all_threes(round), "")
        InterviewSlotFactory(round=round).bookings.create(application=a)
    assert count() == one


def test_rounds_and_roster_queries_do_not_grow(client):
    client.force_login(CommitteeFactory())

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    round = RecruitmentRoundFactory()
    ApplicationFactory(round=round, status=A.ACCEPTED)
    urls = [reverse("tutors_committee_rounds"), reverse("tutors_committee_roster_all")]
    client.get(urls[0])
    before = [count(u) for u in urls]
    for _ in range(19):
        ApplicationFactory(round=RecruitmentRoundFactory(), status=A.ACCEPTED)
    assert [count(u) for u in urls] == before


def test_bulk_shortlist_and_decide_from_the_list(client, world):
    round, app, _, _ = world
    others = [ApplicationFactory(round=round) for _ in range(3)]
    client.force_login(CommitteeFactory())
    url = reverse("tutors_committee_applications", args=[round.pk])
    chosen = client.post(url, {"action": "shortlist", "ids": [app.pk, others[0].pk]})
    # two people would be emailed: nothing changes before the preview is confirmed
    assert Application.objects.filter(status=A.SHORTLISTED).count() == 0
    invited = confirm_on_the_page(client, chosen).content.decode()
    assert "Confirmed: 2 email(s) held until" in invited
    client.post(url, {"action": "decide", "decision": "reject", "ids": [o.pk for o in others[1:]]})
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses[app.pk] == statuses[others[0].pk] == A.SHORTLISTED
    assert Application.objects.filter(decision="reject").count() == 2
    response = client.post(reverse("tutors_committee_release", args=[round.pk]))
    assert Application.objects.filter(decision_released_at__isnull=False).count() == 0
    page = confirm_on_the_page(client, response).content.decode()
    assert "Confirmed: 2 email(s) held until" in page
    assert Application.objects.filter(decision_released_at__isnull=False).count() == 2


def test_roster_csv_lists_accepted_tutors_safely(client):
    round = RecruitmentRoundFactory()
    ApplicationFactory(round=round, status=A.ACCEPTED, applicant=UserFactory(full_name="=cmd()"))
    ApplicationFactory(round=round, status=A.REJECTED)
    client.force_login(CommitteeFactory())
    response = client.get(reverse("tutors_committee_roster", args=[round.pk]) + "?format=csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("name,email,year_of_study,round")
    assert len(lines) == 2 and lines[1].startswith("'=cmd()")


def test_only_committee_downloads_a_cv(client, world):
    from django.core.files.base import ContentFile

    round, app, answer, _ = world
    answer.file.save("x.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    client.force_login(app.applicant)
    url = reverse("tutors_committee_answer_file", args=[round.pk, answer.pk])
    assert client.get(url).status_code == 403
    client.force_login(CommitteeFactory())
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "Secretname" not in response["Content-Disposition"]


def test_bulk_action_on_everything_matching_the_filter(client):
    round = RecruitmentRoundFactory()
    fours = [ApplicationFactory(round=round, year_of_study="4") for _ in range(60)]
    five = ApplicationFactory(round=round, year_of_study="5")
    client.force_login(CommitteeFactory())
    url = reverse("tutors_committee_applications", args=[round.pk]) + "?year=4"
    response = client.post(url, {"action": "decide", "decision": "reject", "all_matching": "1"})
    assert response.status_code == 302
    assert Application.objects.filter(pk__in=[a.pk for a in fours], decision="reject").count() == 60
    five.refresh_from_db()
    assert five.decision == ""


def test_an_incomplete_score_shows_errors_and_saves_nothing(client, world):
    round, app, _, _ = world
    client.force_login(CommitteeFactory())
    url = reverse("tutors_committee_application", args=[round.pk, app.pk])
    first = round.criteria.filter(stage="review").first()
    response = client.post(url, {"action": "review", f"review-c_{first.pk}": "9"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not app.reviews.exists()
    scores = {f"review-c_{c.pk}": "4" for c in round.criteria.filter(stage="review")}
    assert client.post(url, {"action": "review", **scores}).status_code == 302
    assert app.reviews.get().total == 4


def test_roster_across_rounds_counts_each_tutors_rounds(client):
    tutor = UserFactory(full_name="Twice Tutor")
    for _ in range(2):
        ApplicationFactory(round=RecruitmentRoundFactory(), applicant=tutor, status=A.ACCEPTED)
    client.force_login(CommitteeFactory())
    lines = client.get(reverse("tutors_committee_roster_all") + "?format=csv").content.decode()
    rows = [r for r in lines.splitlines()[1:] if r.startswith("Twice Tutor")]
    assert len(rows) == 2 and all(r.split(",")[6] == "2" for r in rows)


def test_application_csv_follows_the_filter_and_blind_mode(client, world):
    round, app, _, _ = world
    ApplicationFactory(round=round, year_of_study="5")
    client.force_login(CommitteeFactory())
    url = reverse("tutors_committee_applications", args=[round.pk]) + "?year=4&format=csv"
    body = client.get(url).content.decode()
    lines = body.splitlines()
    assert lines[0].startswith("reference,year,status") and len(lines) == 2
    assert app.reference in body and "Secretname" not in body and app.applicant.email not in body
