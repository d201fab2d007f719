"""remember(..., cover=...): a value that reads only the member's own bookings is keyed on a
digest of those rows, so other members' bookings leave it in place, while any change to the
member's own rows, by any write path, drops it at once."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meded.curriculum.models import Module
from meded.models import User
from meded.remember import remember
from sessions_app.booking.fingerprint import member_bookings, member_bookings_fingerprint
from sessions_app.models import Booking
from tests.factories.core import UserFactory
from tests.factories.sessions import BookingFactory, TeachingSessionFactory

pytestmark = pytest.mark.django_db
TABLE = Booking._meta.db_table


def request_user(user) -> User:
    """The member as a new request loads them (the digest is memoised per request)."""
    return User.objects.get(pk=user.pk)


class Mine:
    """A compute that reads the member's own bookings and the modules, counting its runs."""

    def __init__(self, user):
        self.user, self.calls = user, 0

    def __call__(self):
        self.calls += 1
        rows = Booking.objects.filter(student=self.user).order_by("pk")
        return (
            list(rows.values_list("status", "attended", "cancel_reason")),
            sorted(Module.objects.values_list("name", flat=True)),
        )


def mine(user, compute, name="mine"):
    return remember(name, (user.pk,), compute, cover=member_bookings(request_user(user)))


@pytest.fixture
def anna():
    user = UserFactory()
    BookingFactory(student=user, attended=None)
    Module.objects.create(name="Anatomy", slug="anatomy")
    return user


@pytest.mark.parametrize(
    "write",
    [
        lambda other: BookingFactory(student=other),
        lambda other: Booking.objects.filter(student=other).update(attended=True),
        lambda other: Booking.objects.filter(student=other).delete(),
        lambda other: connection.cursor().execute(
            f"UPDATE {TABLE} SET attended = %s WHERE student_id = %s", [False, other.pk]
        ),
    ],
    ids=["save", "update", "delete", "raw_sql"],
)
def test_another_members_booking_leaves_a_covered_entry_in_place(anna, write):
    other = UserFactory()
    BookingFactory(student=other)
    compute, plain = Mine(anna), Mine(anna)
    mine(anna, compute)
    remember("plain", (anna.pk,), plain)  # the same reads, not covered
    write(other)
    mine(anna, compute)
    remember("plain", (anna.pk,), plain)
    assert compute.calls == 1
    assert plain.calls == 2  # without the cover, anyone's booking drops it


@pytest.mark.parametrize(
    "write",
    [
        lambda anna: BookingFactory(student=anna, status=Booking.Status.WAITING),
        lambda anna: Booking.objects.bulk_create(
            [
                Booking(
                    session=TeachingSessionFactory(),
                    student=anna,
                    status="waiting",
                    joined_at=timezone.now(),
                )
            ]
        ),
        lambda anna: [setattr(b, "attended", True) or b.save() for b in anna.bookings.all()],
        lambda anna: anna.bookings.update(cancel_reason="student"),  # `updated` is untouched
        lambda anna: anna.bookings.all().delete(),
        lambda anna: connection.cursor().execute(
            f"UPDATE {TABLE} SET attended = %s WHERE student_id = %s", [True, anna.pk]
        ),
    ],
    ids=["save_new", "bulk_create", "save", "update", "delete", "raw_sql"],
)
def test_any_write_to_the_members_own_rows_drops_the_entry(anna, write):
    compute = Mine(anna)
    before = mine(anna, compute)
    write(anna)
    after = mine(anna, compute)
    assert compute.calls == 2
    assert after != before and after == Mine(anna)()


def test_a_table_the_cover_does_not_cover_still_drops_the_entry(anna):
    compute = Mine(anna)
    mine(anna, compute)
    Module.objects.filter(name="Anatomy").update(name="Histology")
    assert "Histology" in mine(anna, compute)[1]
    assert compute.calls == 2


def other_value(field, value, anna):
    """A different value for one column of a booking row."""
    if field.name == "session":
        return TeachingSessionFactory().pk
    if field.name == "student":
        return UserFactory().pk
    if field.get_internal_type() == "DateTimeField":
        return (value or timezone.now()) + timedelta(seconds=1)
    if field.get_internal_type() == "BooleanField":
        return not value
    return "cancelled" if field.name == "status" else "offer_expired"


@pytest.mark.parametrize(
    "field", [f for f in Booking._meta.concrete_fields if not f.primary_key], ids=lambda f: f.name
)
def test_the_fingerprint_changes_with_every_column_of_the_members_rows(anna, field):
    booking = anna.bookings.get()
    before = member_bookings_fingerprint(request_user(anna))
    new = other_value(field, getattr(booking, field.attname), anna)
    Booking.objects.filter(pk=booking.pk).update(**{field.attname: new})
    assert member_bookings_fingerprint(request_user(anna)) != before


def test_the_fingerprint_is_one_query_per_request_and_sees_the_requests_own_writes(anna):
    user = request_user(anna)
    with CaptureQueriesContext(connection) as ctx:
        first = member_bookings_fingerprint(user)
        assert member_bookings_fingerprint(user) == first
    assert len(ctx.captured_queries) == 1
    Booking.objects.filter(student=anna).update(attended=True)  # this request writes
    assert member_bookings_fingerprint(user) != first


def test_members_with_the_same_bookings_state_have_different_fingerprints(anna):
    ben, cara = UserFactory(), UserFactory()  # neither has booked anything
    assert member_bookings_fingerprint(ben) != member_bookings_fingerprint(cara)


def test_rows_changed_while_computing_are_never_kept_under_the_old_digest(anna):
    """The digest is taken, another request changes the member's row and the computation reads
    the new row; the row is then put back exactly (`update()` leaves `updated` alone): the old
    digest must not find what was read in between."""
    own = Booking.objects.filter(student=anna)
    cover = member_bookings(request_user(anna))
    calls = []

    def racing():
        calls.append(1)
        own.update(cancel_reason="in between")  # lands after the digest, before the reads
        return list(own.values_list("cancel_reason", flat=True))

    assert remember("racing", (anna.pk,), racing, cover=cover) == ["in between"]
    own.update(cancel_reason="")
    again = remember("racing", (anna.pk,), Mine(anna), cover=member_bookings(request_user(anna)))
    assert again == Mine(anna)()


def test_an_outer_value_without_the_cover_still_depends_on_the_booking_table(anna):
    """A covered value inside one that does not cover bookings: the outer is dropped by anyone's
    booking (it vouches for nothing), the inner is not."""
    inner, outer_calls = Mine(anna), []

    def outer():
        outer_calls.append(1)
        return mine(anna, inner, name="inner")

    remember("outer", (anna.pk,), outer)
    remember("outer", (anna.pk,), outer)
    assert len(outer_calls) == 1  # the digest was read inside the outer: its version is known
    BookingFactory(student=UserFactory())
    remember("outer", (anna.pk,), outer)
    assert len(outer_calls) == 2 and inner.calls == 1
