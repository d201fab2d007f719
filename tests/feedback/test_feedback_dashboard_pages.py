"""The committee's feedback dashboard as a page: the current round first, headline figures,
sortable and paginated tables, a scoped session filter, and cached figures that follow the data
and the clock; query counts that do not grow with history."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feedback.views.committee import PAGE_SIZE
from tests.factories.core import CommitteeFactory, TutorFactory
from tests.factories.feedback import give_feedback, past_session
from tests.factories.tutors import RecruitmentRoundFactory
from tests.support import html as parsed

pytestmark = pytest.mark.django_db

URL = "/committee/feedback/"
LONDON = ZoneInfo("Europe/London")


def _rated(scores, days_ago=40, **kw):
    session, students = past_session(attendees=len(scores) + 1, days_ago=days_ago, **kw)
    with time_machine.travel(session.ends_at + timedelta(hours=1), tick=False):
        for student, score in zip(students, scores, strict=False):
            give_feedback(student, session, overall=score)
    return session


def _session_options(html: str) -> list[str]:
    select = re.search(r'<select[^>]*id="id_session".*?</select>', html, re.S).group(0)
    return [o.attrs.get("value") for o in parsed.elements(select, "option")]


def _rows(html: str) -> str:
    return " | ".join(tr.text for tr in parsed.elements(html, "tr"))


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.fixture
def committee(client):
    member = CommitteeFactory()
    client.force_login(member)
    return member


def test_the_dashboard_opens_on_the_current_round_and_all_rounds_is_a_choice(client, committee):
    RecruitmentRoundFactory(name="Last year", applications_open=past(400))
    RecruitmentRoundFactory(name="This year", applications_open=past(100))
    old = _rated([4, 4, 4], days_ago=200, title="Old lecture")
    new = _rated([5, 5, 5], days_ago=40, title="New lecture")

    html = client.get(URL).content.decode()
    assert new.title in html and old.title not in html
    assert "At a glance: This year" in parsed.text(html)
    html = client.get(URL + "?round=").content.decode()
    assert new.title in html and old.title in html


def test_the_session_filter_lists_the_chosen_rounds_sessions_only(client, committee):
    rnd = RecruitmentRoundFactory(applications_open=past(100))
    older = _rated([4, 4, 4], days_ago=200, title="Before the round")
    inside = _rated([4, 4, 4], days_ago=40, title="Inside the round")

    html = client.get(URL).content.decode()
    assert _session_options(html) == ["", str(inside.pk)]
    # Every session ever is not listed under "All rounds" either ...
    html = client.get(URL + "?round=").content.decode()
    assert _session_options(html) == [""]
    # ... but a link that names a session from elsewhere still filters by it.
    html = client.get(f"{URL}?round={rnd.pk}&session={older.pk}").content.decode()
    assert older.title in _rows(html) and inside.title not in _rows(html)


def test_headline_figures_come_first_with_the_mean_and_its_spread(client, committee):
    _rated([5, 4, 2])  # 4 attendees, 3 answer: rate 75.0%; mean 3.67, SD 1.25

    html = client.get(URL).content.decode()
    text = parsed.text(html)
    assert text.index("At a glance") < text.index("Flags") < text.index("Sessions and response")
    figures = [dd.text for dd in parsed.elements(html, "dd")]
    assert figures[:2] == ["75.0%", "in 1 of 1 session with results"]
    assert figures[4:6] == ["3.67", "spread (SD) 1.25 over 3 answers"]


def test_the_sessions_table_sorts_on_the_server_and_says_so(client, committee):
    low = _rated([2, 2, 2], title="Low session")
    high = _rated([5, 5, 5], title="High session")
    hidden = _rated([5], title="Hidden session")  # one response: nothing shown, sorts last

    html = client.get(URL + "?sort=-overall").content.decode()
    text = _rows(html)
    assert text.index(high.title) < text.index(low.title) < text.index(hidden.title)
    sorted_by = [
        (th.text, th.attrs["aria-sort"])
        for th in parsed.elements(html, "th")
        if "aria-sort" in th.attrs
    ]
    assert ("Overall (1-5) ▼", "descending") in sorted_by and len(sorted_by) == 2  # and Tutor
    html = client.get(URL + "?sort=overall").content.decode()
    text = _rows(html)
    assert text.index(low.title) < text.index(high.title) < text.index(hidden.title)
    # A forged sort key falls back to the default order, never a 500.
    assert client.get(URL + "?sort=__class__&tsort=-;drop").status_code == 200


def test_the_sessions_table_is_paginated(client, committee):
    for i in range(PAGE_SIZE + 2):
        past_session(attendees=1, days_ago=10 + i, title=f"Session {i:02d}")

    html = client.get(URL).content.decode()
    assert "Page 1 of 2" in parsed.text(html)
    assert "Session 00" in _rows(html) and f"Session {PAGE_SIZE + 1:02d}" not in _rows(html)
    html = client.get(URL + "?page=2").content.decode()
    assert f"Session {PAGE_SIZE + 1:02d}" in _rows(html) and "Session 00" not in _rows(html)


def test_the_dashboard_and_teaching_pages_cost_the_same_queries_at_two_sizes(client, committee):
    tutor = TutorFactory()
    pages = [URL, URL + "?sort=-rate&page=2", URL + "?round=&tsort=-overall"]

    def build(n):
        for _ in range(n):
            _rated([4, 5, 3], tutors=[tutor], days_ago=30)
            past_session(attendees=2, tutors=[tutor], days_ago=30)

    def counts():
        result = []
        for url in pages:
            result.append(_count(client, url)[0])
        client.force_login(tutor)
        result.append(_count(client, reverse("feedback:teaching"))[0])
        client.force_login(committee)
        return result

    build(2)
    small = counts()
    build(PAGE_SIZE)
    assert counts() == small


def test_figures_are_cached_until_a_response_is_recorded(client, committee):
    _rated([4, 4, 4], days_ago=40)
    open_session, students = past_session(attendees=2, days_ago=0)

    first, _ = _count(client, URL)
    again, _ = _count(client, URL)
    assert again < first  # the second visit reads the figures from the cache
    give_feedback(students[0], open_session)
    recomputed, _ = _count(client, URL)
    assert recomputed == first  # the new response is behind the figures: read afresh


@pytest.mark.parametrize(
    "closes",
    [
        datetime(2026, 3, 29, 0, 30, tzinfo=LONDON),  # GMT, the night the clocks go forward
        datetime(2026, 3, 29, 3, 30, tzinfo=LONDON),  # BST, the same night
        datetime(2026, 10, 25, 0, 30, tzinfo=LONDON),  # BST, the night the clocks go back
        datetime(2026, 10, 25, 3, 30, tzinfo=LONDON),  # GMT, the same night
    ],
)
def test_cached_figures_are_released_when_the_window_closes_with_nothing_saved(
    client, committee, settings, closes
):
    """Nothing is saved at the close, so no version bump: the entry must not outlive it."""
    closes = closes.astimezone(UTC)  # arithmetic on instants, not on wall-clock times
    window = timedelta(days=settings.MEDED_FEEDBACK_WINDOW_DAYS)
    ended = closes - window
    with time_machine.travel(ended - timedelta(hours=2), tick=False):
        session, students = past_session(attendees=3, days_ago=0, title="Clock lecture")
        session.starts_at, session.ends_at = ended - timedelta(hours=1), ended
        session.save()
    with time_machine.travel(ended + timedelta(minutes=5), tick=False):
        for student in students:
            give_feedback(student, session, overall=5)
    with time_machine.travel(closes - timedelta(minutes=1), tick=False):
        client.force_login(committee)
        html = client.get(URL + "?round=").content.decode()
        assert "open until" in html and "5.00" not in html
    with time_machine.travel(closes + timedelta(minutes=1), tick=False):
        client.force_login(committee)
        html = client.get(URL + "?round=").content.decode()
        assert "open until" not in html and "5.00" in html


def past(days: int):
    from django.utils import timezone

    return timezone.now() - timedelta(days=days)
