"""Prepared reads (meded/prepared.py): compiled once per process, the same answers as the ORM,
and a booking compiles no read while it holds its session's row lock."""

import pytest
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.db.models.sql.compiler import SQLCompiler

from meded.prepared import Prepared
from sessions_app.booking.services import book
from sessions_app.models import Booking, TeachingSession
from tests.factories.core import UserFactory
from tests.factories.sessions import TeachingSessionFactory

pytestmark = pytest.mark.django_db


def _per_session(status: str, after: int):
    return (
        Booking.objects.filter(status=status, session_id__gte=after)
        .order_by("session_id")
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )


def test_rows_match_the_orm_for_every_value():
    sessions = TeachingSessionFactory.create_batch(3, capacity=4)
    for i, session in enumerate(sessions):
        for student in UserFactory.create_batch(4 * i + 1):
            book(student, session)
    read = Prepared(_per_session, 2)  # a text value and a number
    for status in ("confirmed", "waiting", "cancelled"):
        for after in (0, sessions[1].pk, sessions[2].pk + 1):
            assert read.rows(status, after) == list(_per_session(status, after))


def test_compiled_once_per_process():
    builds = []

    def build(pk):
        builds.append(pk)
        return TeachingSession.objects.filter(pk=pk).values_list("title")

    read = Prepared(build, 1)
    a, b = TeachingSessionFactory(title="Acid-base"), TeachingSessionFactory(title="Renal")
    assert read.rows(a.pk) == [("Acid-base",)]
    assert read.rows(b.pk) == [("Renal",)]
    assert read.rows(-1) == []
    assert len(builds) == 1


def test_a_value_that_never_reaches_the_sql_is_refused():
    read = Prepared(lambda pk, unused: TeachingSession.objects.filter(pk=pk), 2)
    with pytest.raises(RuntimeError, match="does not reach"):
        read.rows(1, 2)
    with pytest.raises(TypeError):
        Prepared(lambda pk: TeachingSession.objects.filter(pk=pk), 1).rows(1, 2)


def test_instances_convert_as_the_orm_does_and_carry_annotations():
    session = TeachingSessionFactory()
    tutor = UserFactory()
    session.tutors.add(tutor)

    def build(pk, user_pk):
        teaches = TeachingSession.tutors.through.objects.filter(
            teachingsession_id=OuterRef("pk"), user_id=user_pk
        )
        return TeachingSession.objects.filter(pk=pk).annotate(teaching=Exists(teaches))

    read = Prepared(build, 2)
    (found,) = read.instances(session.pk, tutor.pk)
    assert found.starts_at == session.starts_at and found.starts_at.tzinfo is not None
    assert found.title == session.title and found.capacity == session.capacity
    assert found.teaching
    (other,) = read.instances(session.pk, UserFactory().pk)
    assert not other.teaching


@pytest.fixture
def compiles(monkeypatch):
    """The SELECTs the ORM compiles (INSERTs have their own compiler)."""
    seen: list[str] = []
    original = SQLCompiler.as_sql

    def spy(self, *args, **kwargs):
        sql, params = original(self, *args, **kwargs)
        if type(self) is SQLCompiler or self.__class__.__name__ == "SQLCompiler":
            seen.append(sql)
        return sql, params

    monkeypatch.setattr(SQLCompiler, "as_sql", spy)
    return seen


def test_a_booking_compiles_no_read_once_warm(compiles):
    session = TeachingSessionFactory(capacity=1)
    book(UserFactory(), session)  # the first booking in this process compiles the reads
    compiles.clear()
    with transaction.atomic():
        booking = book(UserFactory(), session)
    assert booking.status == "waiting"
    assert compiles == []


def test_datetime_values_give_the_orm_answer_at_every_moment():
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now().replace(microsecond=123456)
    sessions = [
        TeachingSessionFactory(
            starts_at=now + timedelta(hours=h), ends_at=now + timedelta(hours=h + 1)
        )
        for h in (-30, -2, 5, 50)
    ]

    def build(after, before, pk):
        return (
            TeachingSession.objects.filter(starts_at__gt=after, starts_at__lte=before, pk__gte=pk)
            .order_by("starts_at")
            .only("id", "title", "starts_at")
        )

    read = Prepared(build, 3)
    for after, before in [(now - timedelta(days=2), now), (now, now + timedelta(days=3))]:
        for pk in (0, sessions[2].pk):
            expected = list(build(after, before, pk))
            found = read.instances(after, before, pk)
            assert [s.pk for s in found] == [s.pk for s in expected]
            assert [s.starts_at for s in found] == [s.starts_at for s in expected]
    # exactly on the bound: the value is compared as the ORM adapts it, microseconds and all
    edge = sessions[1].starts_at
    assert [s.pk for s in read.instances(edge, edge + timedelta(hours=1), 0)] == []
    assert [s.pk for s in read.instances(edge - timedelta(microseconds=1), edge, 0)] == [
        sessions[1].pk
    ]


def test_arithmetic_on_a_datetime_marker_is_refused():
    from datetime import timedelta

    read = Prepared(
        lambda when: TeachingSession.objects.filter(starts_at__gt=when - timedelta(days=1)),
        1,
    )
    with pytest.raises(RuntimeError, match="does not reach"):
        read.rows(TeachingSessionFactory().starts_at)


def test_a_small_integer_value_reaches_a_small_integer_field():
    from meded.models import Year

    second, third = Year.objects.get_or_create(number=2)[0], Year.objects.get_or_create(number=3)[0]
    session = TeachingSessionFactory()
    session.target_years.add(third)

    def build(number):
        return TeachingSession.objects.filter(target_years__number=number).values_list("id")

    read = Prepared(build, 1, small=(0,))
    assert read.rows(third.number) == [(session.pk,)]
    assert read.rows(second.number) == []


def test_a_constant_equal_to_a_small_marker_is_refused():
    read = Prepared(
        lambda number: TeachingSession.objects.filter(capacity=32_000, target_years__number=number),
        1,
        small=(0,),
    )
    with pytest.raises(RuntimeError, match="constant"):
        read.rows(3)


def test_annotations_are_converted_as_the_orm_converts_them():
    from django.db.models import F

    session = TeachingSessionFactory()
    booking = book(UserFactory(), session)

    def build(pk):
        mine = Booking.objects.filter(session_id=OuterRef("pk"), student_id=booking.student_id)
        return TeachingSession.objects.filter(pk=pk).annotate(
            booked=Exists(mine), when=F("starts_at")
        )

    (found,) = Prepared(build, 1).instances(session.pk)
    assert found.booked is True
    assert found.when == session.starts_at and found.when.tzinfo is not None


def test_an_id_list_of_any_length_gives_the_orm_answer_with_few_compiles():
    from meded.prepared import PreparedForIds

    sessions = TeachingSessionFactory.create_batch(5)
    builds = []

    def build(after, ids):
        builds.append(len(ids))
        return (
            TeachingSession.objects.filter(pk__in=ids, pk__gte=after)
            .order_by("pk")
            .values_list("pk")
        )

    read = PreparedForIds(build, 1)
    pks = [s.pk for s in sessions]
    for n in range(1, 6):
        assert read.rows(0, ids=pks[:n]) == [(pk,) for pk in pks[:n]]
    assert read.rows(pks[2], ids=pks) == [(pk,) for pk in pks[2:]]
    assert read.rows(0, ids=[]) == []
    assert sorted(set(builds)) == [1, 2, 4, 8]  # one compile per power of two


def test_dates_and_moments_are_values_like_any_other():
    """A moment ("ending after now") and a day are sent as the ORM sends them, each call's own."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    soon = TeachingSessionFactory(
        starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=1)
    )
    later = TeachingSessionFactory(
        starts_at=now + timedelta(days=3), ends_at=now + timedelta(days=3, hours=1)
    )

    def build(after, day):
        return (
            TeachingSession.objects.filter(ends_at__gt=after)
            .exclude(starts_at__date=day)
            .order_by("pk")
            .values_list("pk")
        )

    read = Prepared(build, 2)
    far = timezone.localdate() + timedelta(days=400)
    for after in (now, soon.ends_at, later.ends_at, now - timedelta(days=9)):
        for day in (far, timezone.localdate(soon.starts_at)):
            assert read.rows(after, day) == list(build(after, day))
    assert read.rows(now, far) == [(soon.pk,), (later.pk,)]
    with pytest.raises(TypeError, match="types"):
        read.rows(soon.pk, far)
    with pytest.raises(TypeError, match="aware"):
        read.rows(now.replace(tzinfo=None), far)


def test_converted_rows_are_what_values_list_gives():
    """Moments come back as aware datetimes on every database, as the ORM gives them."""
    from datetime import timedelta

    from django.utils import timezone

    TeachingSessionFactory.create_batch(2)

    def build(after):
        return (
            TeachingSession.objects.filter(ends_at__gt=after)
            .order_by("starts_at", "pk")
            .values_list("pk", "starts_at", "ends_at", "venue")
        )

    read = Prepared(build, 1)
    found = read.converted_rows(timezone.now() - timedelta(days=999))
    assert found == list(build(timezone.now() - timedelta(days=999)))
    assert len(found) == 2 and all(row[1].tzinfo is not None for row in found)


def test_pages_are_djangos_pages_of_the_orms_rows_each_compiled_once(monkeypatch):
    from django.core.paginator import Paginator

    from meded.prepared import PreparedPages

    def build(prefix):
        return (
            TeachingSession.objects.filter(title=prefix)
            .order_by("-starts_at", "-pk")
            .values_list("pk", "title", "starts_at")
        )

    TeachingSessionFactory.create_batch(7, title="Renal")
    TeachingSessionFactory(title="Other")
    pages = PreparedPages(build, 1, size=3)
    theirs = Paginator(build("Renal"), 3)
    for number in (1, 2, 3, "3", 0, 99, "x", None):
        ours = pages.page(number, "Renal")
        expected = theirs.get_page(number)
        assert (ours.number, ours.paginator.count) == (expected.number, 7)
        assert ours.object_list == list(expected.object_list)
    assert len(pages._pages) == 3  # one statement per page, whatever was asked
    assert pages.page(1, "None").object_list == [] and pages.page(1, "None").number == 1
    monkeypatch.setattr(PreparedPages, "MAX_PAGES", 0)
    fresh = PreparedPages(build, 1, size=3)
    assert fresh.page(2, "Renal").object_list == list(theirs.get_page(2).object_list)
    assert fresh._pages == {}  # past the bound, a page is compiled for its visit only
