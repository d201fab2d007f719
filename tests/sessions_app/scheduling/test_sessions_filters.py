"""The /sessions/ filters a student can set: module, topic, date range, and bad input."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.factories.core import ModuleFactory, TopicFactory
from tests.factories.sessions import TeachingSessionFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def sessions():
    with time_machine.travel(NOW, tick=False):
        cardio = ModuleFactory(name="Cardiology", slug="cardio")
        renal = ModuleFactory(name="Renal", slug="renal")
        heart = TopicFactory(code="CARD-301", title="Heart failure", module=cardio)
        valves = TopicFactory(code="CARD-302", title="Valve disease", module=cardio)
        kidney = TopicFactory(code="REN-301", title="Acute kidney injury", module=renal)
        # 23:30 BST on 24 October is still the 24th in London, though the 25th is near in UTC.
        TeachingSessionFactory(
            title="Heart failure tutorial",
            topic=heart,
            starts_at=datetime(2026, 10, 24, 22, 30, tzinfo=UTC),
            ends_at=datetime(2026, 10, 24, 23, 15, tzinfo=UTC),
        )
        TeachingSessionFactory(
            title="Valves lecture",
            topic=valves,
            starts_at=datetime(2026, 10, 27, 18, 0, tzinfo=UTC),
            ends_at=datetime(2026, 10, 27, 19, 0, tzinfo=UTC),
        )
        TeachingSessionFactory(
            title="AKI workshop",
            topic=kidney,
            starts_at=datetime(2026, 11, 10, 18, 0, tzinfo=UTC),
            ends_at=datetime(2026, 11, 10, 19, 0, tzinfo=UTC),
        )


def titles(client, student_user, query: str) -> set[str]:
    client.force_login(student_user)
    with time_machine.travel(NOW, tick=False):
        body = client.get(reverse("sessions_app:list") + query).content.decode()
    return {t for t in ("Heart failure tutorial", "Valves lecture", "AKI workshop") if t in body}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?year=&module=cardio", {"Heart failure tutorial", "Valves lecture"}),
        ("?year=&topic=CARD-302", {"Valves lecture"}),
        ("?year=&module=renal&topic=REN-301", {"AKI workshop"}),
        ("?year=&date_from=2026-10-25", {"Valves lecture", "AKI workshop"}),
        ("?year=&date_to=2026-10-24", {"Heart failure tutorial"}),
        ("?year=&date_from=2026-10-25&date_to=2026-10-31", {"Valves lecture"}),
    ],
)
def test_filters_narrow_the_list(client, student_user, sessions, query, expected):
    assert titles(client, student_user, query) == expected


def test_the_topic_filter_offers_topics_with_upcoming_sessions_by_module(
    client, student_user, sessions
):
    TopicFactory(code="NONE-1", title="Nothing scheduled")
    client.force_login(student_user)
    with time_machine.travel(NOW, tick=False):
        body = client.get(reverse("sessions_app:list") + "?topic=CARD-302").content.decode()
    assert 'id="id_topic" name="topic"' in body
    assert '<optgroup label="Cardiology">' in body
    assert '<option value="CARD-301">CARD-301 Heart failure</option>' in body
    assert '<option value="CARD-302" selected>CARD-302 Valve disease</option>' in body
    assert "NONE-1" not in body


def test_a_bad_date_is_reported_by_its_field_and_other_filters_still_apply(
    client, student_user, sessions
):
    client.force_login(student_user)
    with time_machine.travel(NOW, tick=False):
        body = client.get(
            reverse("sessions_app:list") + "?year=&module=renal&date_from=31/31/2026"
        ).content.decode()
    assert (
        '<div class="invalid-feedback d-block" id="id_date_from_error">Enter a valid date.' in body
    )
    assert 'aria-describedby="id_date_from_error"' in body
    assert "AKI workshop" in body and "Valves lecture" not in body


def test_the_detail_page_links_to_more_on_its_topic(client, student_user, sessions):
    client.force_login(student_user)
    with time_machine.travel(NOW, tick=False):
        session = TeachingSessionFactory(topic=TopicFactory(code="CARD-999"))
        body = client.get(reverse("sessions_app:detail", args=[session.pk])).content.decode()
    assert "?year=&amp;topic=CARD-999" in body


def test_the_list_is_paginated_twenty_a_page(client, student_user):
    start = NOW + timedelta(days=2)
    with time_machine.travel(NOW, tick=False):
        for i in range(25):
            TeachingSessionFactory(
                title=f"Paged session {i:02d}",
                starts_at=start + timedelta(hours=i),
                ends_at=start + timedelta(hours=i, minutes=45),
            )
        client.force_login(student_user)
        first = client.get(reverse("sessions_app:list") + "?year=").content.decode()
        second = client.get(reverse("sessions_app:list") + "?year=&page=2").content.decode()
    assert "Paged session 19" in first and "Paged session 20" not in first
    assert "Paged session 20" in second and "Paged session 24" in second
    assert "Paged session 00" not in second
