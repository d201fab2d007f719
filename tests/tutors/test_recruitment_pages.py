"""Committee set-up pages, the applicant's pages and the 24-hour rule across the clock change."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CommitteeFactory, UserFactory
from tests.factories.tutors import (
    ApplicationFactory,
    InterviewSlotFactory,
    RecruitmentRoundFactory,
)
from tutors.models import Application, RecruitmentRound, RoundState
from tutors.recruitment.services import RecruitmentError
from tutors.recruitment.services.interviews import book_slot

# pages remembered per minute: no minute may turn between a visit and its repeat
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
LONDON = ZoneInfo("Europe/London")


def test_the_24_hour_rule_counts_real_hours_across_the_october_clock_change():
    # 10:00 GMT on 25 Oct is 24.5 real hours after 10:30 BST on 24 Oct (clocks went back).
    slot_start = datetime(2026, 10, 25, 10, 0, tzinfo=LONDON)
    with time_machine.travel(datetime(2026, 10, 24, 10, 30, tzinfo=LONDON), tick=False):
        round = RecruitmentRoundFactory(state="interviewing")
        app = ApplicationFactory(round=round, status=Application.Status.SHORTLISTED)
        slot = InterviewSlotFactory(round=round, starts_at=slot_start)
        book_slot(app.applicant, app, slot)
    with time_machine.travel(datetime(2026, 10, 24, 11, 30, tzinfo=LONDON), tick=False):
        other = ApplicationFactory(round=round, status=Application.Status.SHORTLISTED)
        late = InterviewSlotFactory(round=round, starts_at=slot_start)
        with pytest.raises(RecruitmentError, match="24 hours"):
            book_slot(other.applicant, other, late)  # 23.5 real hours


def test_committee_creates_a_round_with_a_default_rubric_and_ordered_windows(client):
    client.force_login(CommitteeFactory())
    base = datetime(2027, 1, 10, 9, 0)
    fmt = "%Y-%m-%dT%H:%M"
    data = {
        "name": "2026/27 Term 3",
        "term": "2026/27 T3",
        "applications_open": base.strftime(fmt),
        "applications_close": (base + timedelta(days=14)).strftime(fmt),
        "interviews_open": (base + timedelta(days=15)).strftime(fmt),
        "interviews_close": (base + timedelta(days=25)).strftime(fmt),
        "ranking_opens": (base + timedelta(days=26)).strftime(fmt),
        "ranking_closes": (base + timedelta(days=30)).strftime(fmt),
        "min_rank": 3,
        "max_rank": 10,
        "max_topics_per_tutor": 1,
        "hide_scores_until_scored": "on",
    }
    bad = {**data, "applications_close": (base - timedelta(days=1)).strftime(fmt)}
    response = client.post(reverse("tutors_committee_round_new"), bad)
    assert response.status_code == 200
    assert "Applications must close after they open." in response.content.decode()
    assert not RecruitmentRound.objects.exists()
    response = client.post(reverse("tutors_committee_round_new"), data)
    round = RecruitmentRound.objects.get()
    assert response.status_code == 302 and round.state == RoundState.DRAFT
    assert round.criteria.filter(stage="review").count() == 4
    url = reverse("tutors_committee_round_setup", args=[round.pk])
    client.post(url, {"what": "question", "label": "CV", "kind": "file", "order": 1})
    assert round.questions.get().kind == "file"
    client.post(reverse("tutors_committee_round_state", args=[round.pk]), {"state": "ranking"})
    round.refresh_from_db()
    assert round.state == RoundState.DRAFT  # refused: not a move from draft
    client.post(
        reverse("tutors_committee_round_state", args=[round.pk]), {"state": "applications_open"}
    )
    round.refresh_from_db()
    assert round.state == RoundState.APPLICATIONS_OPEN


def test_apply_page_says_when_no_round_is_open(client):
    client.force_login(UserFactory())
    response = client.get(reverse("tutors_apply"))
    assert "No round is taking applications right now" in response.content.decode()


def test_the_home_page_shows_the_application_status(client):
    app = ApplicationFactory(status=Application.Status.SHORTLISTED)
    client.force_login(app.applicant)
    html = client.get(reverse("home")).content.decode()
    assert "Book your interview" in html


def test_the_tutor_page_queries_do_not_grow_with_applications(client):
    member = UserFactory()
    client.force_login(member)
    ApplicationFactory(applicant=member)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("tutors_home")).status_code == 200
        return len(ctx)

    def cold_then_warm():  # the page is kept by remember(): both visits, at each size
        cache.clear()
        return count(), count()

    one = cold_then_warm()
    for _ in range(19):
        app = ApplicationFactory(applicant=member, status=Application.Status.INTERVIEW_BOOKED)
        InterviewSlotFactory(round=app.round).bookings.create(application=app)
    assert cold_then_warm() == one


def test_withdrawing_through_the_page(client):
    app = ApplicationFactory()
    client.force_login(app.applicant)
    client.post(reverse("tutors_withdraw", args=[app.pk]))
    app.refresh_from_db()
    assert app.status == Application.Status.WITHDRAWN
