"""Factories for teaching sessions, series and bookings."""

from datetime import timedelta

import factory
from django.utils import timezone

from sessions_app.models import Booking, Series, TeachingSession
from tests.factories.core import UserFactory


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    title = factory.Sequence(lambda n: f"Series {n}")


class TeachingSessionFactory(factory.django.DjangoModelFactory):
    """A published in-person lecture three days from now, 20 places, booking open."""

    class Meta:
        model = TeachingSession
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Session {n}")
    kind = TeachingSession.Kind.LECTURE
    delivery = TeachingSession.Delivery.IN_PERSON
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    venue = "Lecture Theatre 1"
    join_link = ""
    capacity = 20
    status = TeachingSession.Status.PUBLISHED
    checkin_code = factory.Sequence(lambda n: f"C{n:05d}")

    @factory.post_generation
    def tutors(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tutors.set(extracted)

    @factory.post_generation
    def target_years(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.target_years.set(extracted)


class BookingFactory(factory.django.DjangoModelFactory):
    """A confirmed booking (status=waiting/offered/cancelled for the others)."""

    class Meta:
        model = Booking

    session = factory.SubFactory(TeachingSessionFactory)
    student = factory.SubFactory(UserFactory)
    status = Booking.Status.CONFIRMED
    joined_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyAttribute(
        lambda o: o.joined_at if o.status == Booking.Status.CONFIRMED else None
    )
