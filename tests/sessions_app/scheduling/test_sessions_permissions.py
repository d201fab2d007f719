"""Every sessions page and action, for every role: visitor, student, tutor, committee.

"tutor" is a tutor of the session in question; "other_tutor" teaches something else, so the
rows show that teaching one session gives no rights over another.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import Booking, TeachingSession
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.sessions import BookingFactory, SeriesFactory, TeachingSessionFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "student", "tutor", "other_tutor", "committee")
LOGIN = "login"  # a redirect to the login page


@pytest.fixture
def world():
    tutor = TutorFactory()
    users = {
        "anonymous": None,
        "student": UserFactory(),
        "tutor": tutor,
        "other_tutor": TutorFactory(),
        "committee": CommitteeFactory(),
    }
    series = SeriesFactory(bookable_as_whole=True)
    session = TeachingSessionFactory(tutors=[tutor], series=series)
    draft = TeachingSessionFactory(tutors=[tutor], status=TeachingSession.Status.DRAFT)
    return {"users": users, "session": session, "draft": draft, "series": series}


def _get(client, world, role, url):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    return client.get(url)


def _outcome(response) -> int | str:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return LOGIN
    return response.status_code


# page -> expected answer per role, in ROLES order
PAGES = {
    "list": ((), (LOGIN, 200, 200, 200, 200)),
    "calendar": ((), (LOGIN, 200, 200, 200, 200)),
    "mine": ((), (LOGIN, 200, 200, 200, 200)),
    "detail": (("session",), (LOGIN, 200, 200, 200, 200)),
    "ics": (("session",), (LOGIN, 200, 200, 200, 200)),
    "series": (("series",), (LOGIN, 200, 200, 200, 200)),
    "register": (("session",), (LOGIN, 403, 200, 403, 200)),
    "committee_list": ((), (LOGIN, 403, 403, 403, 200)),
    "committee_create": ((), (LOGIN, 403, 403, 403, 200)),
    "committee_edit": (("session",), (LOGIN, 403, 403, 403, 200)),
    "committee_cancel": (("session",), (LOGIN, 403, 403, 403, 200)),
    "committee_no_shows": ((), (LOGIN, 403, 403, 403, 200)),
    "committee_from_allocation": ((), (LOGIN, 403, 403, 403, 200)),
}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_each_page(client, world, name, role):
    args_from, expected = PAGES[name]
    url = reverse(f"sessions_app:{name}", args=[world[a].pk for a in args_from])
    assert _outcome(_get(client, world, role, url)) == expected[ROLES.index(role)]


@pytest.mark.parametrize("name", ["detail", "ics", "register"])
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", LOGIN),
        ("student", 404),
        ("other_tutor", 404),
        ("tutor", 200),
        ("committee", 200),
    ],
)
def test_a_draft_exists_only_for_its_tutors_and_the_committee(client, world, name, role, expected):
    url = reverse(f"sessions_app:{name}", args=[world["draft"].pk])
    assert _outcome(_get(client, world, role, url)) == expected


STUDENT_ACTIONS = ("book", "cancel", "claim", "checkin")


@pytest.mark.parametrize("name", [*STUDENT_ACTIONS, "book_series"])
def test_visitors_posting_actions_are_sent_to_log_in_and_nothing_changes(client, world, name):
    target = world["series"] if name == "book_series" else world["session"]
    response = client.post(reverse(f"sessions_app:{name}", args=[target.pk]))
    assert _outcome(response) == LOGIN
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    "name", [n for n in STUDENT_ACTIONS if n != "cancel"] + ["book_series", "regenerate_feed"]
)
@pytest.mark.parametrize("role", ["student", "committee"])
def test_actions_refuse_get(client, world, name, role):
    args = []
    if name != "regenerate_feed":
        args = [(world["series"] if name == "book_series" else world["session"]).pk]
    response = _get(client, world, role, reverse(f"sessions_app:{name}", args=args))
    assert response.status_code == 405


@pytest.mark.parametrize("role", ["student", "committee"])
def test_cancel_by_get_only_asks_and_changes_nothing(client, world, role):
    user = world["users"][role]
    booking = BookingFactory(session=world["session"], student=user)
    client.force_login(user)
    response = client.get(reverse("sessions_app:cancel", args=[world["session"].pk]))
    assert response.status_code == 200 and "Yes, cancel my place" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_the_sessions_own_tutor_is_not_offered_a_place(client, world):
    tutor, session = world["users"]["tutor"], world["session"]
    assert session.is_taught_by(tutor)
    client.force_login(tutor)
    body = client.get(reverse("sessions_app:detail", args=[session.pk])).content.decode()
    assert "Book a place" not in body and "You are teaching this session" in body
    response = client.post(reverse("sessions_app:book", args=[session.pk]), follow=True)
    assert "You are teaching this session" in response.content.decode()
    assert not Booking.objects.filter(student=tutor).exists()


@pytest.mark.parametrize("role", ["student", "other_tutor", "committee"])
def test_every_member_may_book_and_cancel_for_themselves(client, world, role):
    user = world["users"][role]
    client.force_login(user)
    session = world["session"]
    client.post(reverse("sessions_app:book", args=[session.pk]))
    assert Booking.objects.get(student=user).status == "confirmed"
    client.post(reverse("sessions_app:cancel", args=[session.pk]))
    assert Booking.objects.get(student=user).status == "cancelled"


def test_nobody_can_cancel_or_claim_someone_elses_booking(client, world):
    session = world["session"]
    theirs = BookingFactory(
        session=session, status="offered", offer_expires_at=timezone.now() + timedelta(hours=2)
    )
    for role in ("student", "tutor", "committee"):
        client.force_login(world["users"][role])
        assert client.post(reverse("sessions_app:cancel", args=[session.pk])).status_code == 404
        assert client.post(reverse("sessions_app:claim", args=[session.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "offered"


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", LOGIN), ("student", 403), ("tutor", 403), ("other_tutor", 403)],
)
@pytest.mark.parametrize("name", ["committee_publish", "committee_duplicate"])
def test_only_the_committee_publishes_or_duplicates(client, world, role, expected, name):
    draft = world["draft"]
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    assert _outcome(client.post(reverse(f"sessions_app:{name}", args=[draft.pk]))) == expected
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert TeachingSession.objects.count() == 2


def test_the_committee_publishes_and_duplicates(client, world):
    draft = world["draft"]
    client.force_login(world["users"]["committee"])
    assert (
        client.post(reverse("sessions_app:committee_publish", args=[draft.pk])).status_code == 302
    )
    draft.refresh_from_db()
    assert draft.status == "published"
    client.post(reverse("sessions_app:committee_duplicate", args=[draft.pk]))
    assert TeachingSession.objects.count() == 3


@pytest.mark.parametrize("role", ["student", "tutor", "other_tutor"])
def test_only_the_committee_edits_or_cancels_a_session(client, world, role):
    session = world["session"]
    client.force_login(world["users"][role])
    edit = client.post(
        reverse("sessions_app:committee_edit", args=[session.pk]), {"title": "Hijacked"}
    )
    cancel = client.post(
        reverse("sessions_app:committee_cancel", args=[session.pk]), {"confirm": "on"}
    )
    assert (edit.status_code, cancel.status_code) == (403, 403)
    session.refresh_from_db()
    assert session.title != "Hijacked" and session.status == "published"


@pytest.mark.parametrize("role", ["student", "other_tutor"])
def test_only_its_tutors_and_the_committee_take_the_register(client, world, role):
    session = world["session"]
    booking = BookingFactory(session=session)
    client.force_login(world["users"][role])
    url = reverse("sessions_app:register", args=[session.pk])
    assert client.post(url, {f"b{booking.pk}": "absent"}).status_code == 403
    booking.refresh_from_db()
    assert booking.attended is None


@pytest.mark.parametrize("role", ["student", "tutor", "committee"])
def test_regenerating_the_feed_changes_only_my_own_token(client, world, role):
    user = world["users"][role]
    others = {u.pk: u.calendar_token for u in world["users"].values() if u and u != user}
    old = user.calendar_token
    client.force_login(user)
    response = client.post(reverse("sessions_app:regenerate_feed"))
    assert response.status_code == 302 and response["Location"] == reverse("profile")
    user.refresh_from_db()
    assert user.calendar_token != old
    for pk, token in others.items():
        assert type(user).objects.get(pk=pk).calendar_token == token


def test_the_feed_needs_only_its_token(client, world):
    user = world["users"]["student"]
    assert client.get(reverse("sessions_app:feed", args=[user.calendar_token])).status_code == 200
    assert client.get(reverse("sessions_app:feed", args=["not-a-token"])).status_code == 404
    user.is_active = False
    user.save()
    assert client.get(reverse("sessions_app:feed", args=[user.calendar_token])).status_code == 404
