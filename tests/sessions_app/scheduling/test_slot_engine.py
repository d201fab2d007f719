"""The pure part of teaching dates: which week cells a slot needs, and the deterministic
proposal for topics left after the deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sessions_app.scheduling.slot_engine import OpenSlot, OpenTopic, fits, propose, slot_cells

TUESDAY = date(2030, 3, 5)


def at(hour: int, day: int = 0) -> datetime:
    return datetime(2030, 3, 5, hour, tzinfo=UTC) + timedelta(days=day)


def slot(key, hour, day=0, room="A"):
    return OpenSlot(key, at(hour, day), at(hour + 1, day), room)


def test_a_slot_needs_every_half_hour_it_touches():
    assert list(slot_cells(TUESDAY, time(18), time(19))) == [48 + 36, 48 + 37]
    assert list(slot_cells(TUESDAY, time(18, 15), time(19))) == [48 + 36, 48 + 37]
    assert list(slot_cells(TUESDAY, time(23), time(0))) == [48 + 46, 48 + 47]


def test_fits_needs_the_whole_slot_free_and_the_date_not_busy():
    free = frozenset({48 + 36, 48 + 37})
    assert fits(free, frozenset(), TUESDAY, time(18), time(19))
    assert not fits(free, frozenset(), TUESDAY, time(18), time(19, 30))
    assert not fits(free, frozenset({TUESDAY}), TUESDAY, time(18), time(19))
    assert fits(None, frozenset(), TUESDAY, time(8), time(9))  # no week given: not limited


def test_the_most_constrained_topic_chooses_first_and_nobody_is_in_two_places():
    slots = [slot(1, 18), slot(2, 18, room="B"), slot(3, 18, day=1)]
    topics = [
        OpenTopic(10, frozenset({1}), frozenset(), frozenset({1, 2, 3})),
        OpenTopic(11, frozenset({1}), frozenset(), frozenset({2})),  # same tutor, one option
        OpenTopic(12, frozenset({2}), frozenset({3}), frozenset({1, 3})),
        OpenTopic(13, frozenset({3}), frozenset(), frozenset()),
    ]
    result = propose(topics, slots)
    assert result == {11: 2, 12: 1, 10: 3, 13: None}
    assert propose(list(reversed(topics)), list(reversed(slots))) == result


def test_a_shared_year_group_keeps_two_topics_apart():
    slots = [slot(1, 18), slot(2, 18, room="B")]
    topics = [
        OpenTopic(1, frozenset({1}), frozenset({3}), frozenset({1, 2})),
        OpenTopic(2, frozenset({2}), frozenset({3}), frozenset({1, 2})),
    ]
    assert propose(topics, slots) == {1: 1, 2: None}
