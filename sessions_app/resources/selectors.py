"""Read queries for recordings and resources, each written once with its joins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from meded.models import Topic, User
from meded.prepared import Prepared
from meded.remember import remember
from meded.roles import is_committee, is_tutor
from sessions_app.booking.models import Booking
from sessions_app.resources.models import (
    RecordingPlayback,
    Resource,
    ResourceAccess,
    ResourceVersion,
)
from sessions_app.scheduling.models import TeachingSession

Kind = Resource.Kind
Status = Resource.Status
Visibility = Resource.Visibility

KIND_ORDER = [k for k, _ in Kind.choices]


def with_related(qs: QuerySet[Resource]) -> QuerySet[Resource]:
    return qs.select_related("session", "uploaded_by").prefetch_related(
        Prefetch("topics", queryset=Topic.objects.select_related("module")),
        Prefetch("versions", queryset=ResourceVersion.objects.order_by("-uploaded_at", "-pk")),
    )


def visible_resources(user: User, now: datetime | None = None) -> QuerySet[Resource]:
    """Every resource this member may open: services.resources.can_view() as one query."""
    if not getattr(user, "is_authenticated", False):
        return Resource.objects.none()
    if is_committee(user):
        return Resource.objects.all()
    return visible_to(user.pk, is_tutor(user), now or timezone.now())


def visible_to(user_pk: int, tutor: bool, now: datetime) -> QuerySet[Resource]:
    """`visible_resources` for a member who is not on the committee, by their id and whether
    they tutor (what a compiled-once read is built from: see `library.py`)."""
    teaches = Exists(
        TeachingSession.tutors.through.objects.filter(
            teachingsession_id=OuterRef("session_id"), user_id=user_pk
        )
    )
    booked = Exists(
        Booking.objects.filter(
            session_id=OuterRef("session_id"), student_id=user_pk, status=Booking.Status.CONFIRMED
        )
    )
    audience = Q(visibility=Visibility.MEMBERS) | (Q(visibility=Visibility.ATTENDEES) & booked)
    if tutor:
        audience |= Q(visibility=Visibility.STAFF)
    open_to_students = (
        Q(status=Status.PUBLISHED)
        & (Q(release_at__isnull=True) | Q(release_at__lte=now))
        & audience
    )
    return Resource.objects.filter(open_to_students | Q(uploaded_by_id=user_pk) | teaches)


def last_release(now: datetime | None = None) -> datetime | None:
    """The latest release time that has passed: what members may open changes only at these
    moments, so a cached list keyed on it is exact to the second without keying on the clock.
    The release times still to come are read once and kept until a resource changes."""
    now = now or timezone.now()
    coming = remember(
        "resources:releases",
        (),
        lambda: sorted(moment for (moment,) in _RELEASES.converted_rows(timezone.now())),
    )
    passed = [moment for moment in coming if moment <= now]
    return passed[-1] if passed else None


# Read on every visit to the library after a write to a resource: compiled once.
_RELEASES = Prepared(
    lambda now: (
        Resource.objects.filter(release_at__gt=now).order_by().values_list("release_at").distinct()
    ),
    1,
)


@dataclass
class LibraryFilters:
    q: str = ""
    kind: str = ""
    year: int | None = None
    module: str = ""
    topic: str = ""


def library(user: User, filters: LibraryFilters) -> QuerySet[Resource]:
    """The /resources/ list: what the member may see, filtered, newest first (its rows, for a
    page: `library.page`; with `with_related` for whole resources)."""
    qs = visible_resources(user)
    if not is_committee(user):
        qs = qs.filter(status=Status.PUBLISHED)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.year:
        qs = qs.filter(topics__years__number=filters.year)
    if filters.module:
        qs = qs.filter(topics__module__slug=filters.module)
    if filters.topic:
        qs = qs.filter(topics__code=filters.topic)
    words = filters.q.split()[:8]
    if words:
        by_topic = _resources_by_topic_word(words)
        for word in words:
            qs = qs.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(pk__in=by_topic[word.casefold()])
            )
    return Resource.objects.filter(pk__in=qs.values("pk")).order_by("-created", "-pk")


def _resources_by_topic_word(words: list[str]) -> dict[str, set[int]]:
    """For each search word, the resources whose topics match it, in one query over topics.

    A join on topics per word made an eight-word search take minutes on PostgreSQL (each join
    multiplies the rows); one pass over the resource-topic pairs keeps the cost independent of
    the number of words.
    """
    any_word = Q()
    for word in words:
        any_word |= Q(topic__title__icontains=word) | Q(topic__code__iexact=word)
    pairs = Resource.topics.through.objects.filter(any_word).values_list(
        "resource_id", "topic__title", "topic__code"
    )
    found: dict[str, set[int]] = {word.casefold(): set() for word in words}
    for resource_id, title, code in pairs:
        title, code = title.casefold(), code.casefold()
        for word in found:
            if word in title or word == code:
                found[word].add(resource_id)
    return found


_PANEL_FIELDS = ("id", "title", "kind", "status", "duration", "captions", "release_at")
# The session page's panel, read on every cold visit of a session: compiled once per process,
# one statement for the committee (every resource) and one per member's visibility rule.
_PANEL_ALL = Prepared(
    lambda session_pk: (
        Resource.objects.filter(session_id=session_pk)
        .only(*_PANEL_FIELDS)
        .order_by("kind", "title")
    ),
    1,
)
_PANEL = {
    tutor: Prepared(
        lambda user_pk, now, session_pk, tutor=tutor: (
            visible_to(user_pk, tutor, now)
            .filter(session_id=session_pk)
            .only(*_PANEL_FIELDS)
            .order_by("kind", "title")
        ),
        3,
    )
    for tutor in (False, True)
}


def session_resources(user: User, session: TeachingSession) -> dict[str, list[Resource]]:
    """A session's resources this member may open, grouped by kind in a fixed order (with the
    fields its panel prints)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    if is_committee(user):
        found = _PANEL_ALL.instances(session.pk)
    else:
        found = _PANEL[is_tutor(user)].instances(user.pk, timezone.now(), session.pk)
    grouped: dict[str, list[Resource]] = {}
    for resource in found:
        grouped.setdefault(resource.kind, []).append(resource)
    return {k: grouped[k] for k in KIND_ORDER if k in grouped}


def recording_slides(user: User, resource: Resource) -> list[Resource]:
    """Slides of the same session, shown beside a recording."""
    if resource.session_id is None:
        return []
    qs = visible_resources(user).filter(session_id=resource.session_id, kind=Kind.SLIDES)
    return list(with_related(qs).filter(status=Status.PUBLISHED).order_by("title"))


def with_counts(qs: QuerySet[Resource]) -> QuerySet[Resource]:
    return qs.annotate(
        view_count=Count("accesses", filter=Q(accesses__kind=ResourceAccess.Kind.VIEW)),
        download_count=Count("accesses", filter=Q(accesses__kind=ResourceAccess.Kind.DOWNLOAD)),
    )


def review_queue() -> QuerySet[Resource]:
    """The committee's queue: each resource with its session and uploader (what it prints)."""
    return (
        Resource.objects.filter(status=Status.AWAITING_REVIEW)
        .select_related("session", "uploaded_by")
        .order_by("created", "pk")
    )


# The committee's home counts the queue on every visit after a write: compiled once.
_AWAITING_REVIEW = Prepared(lambda: Resource.objects.filter(status=Status.AWAITING_REVIEW), 0)


def review_queue_count() -> int:
    return _AWAITING_REVIEW.count()


def committee_overview(kind: str = "", status: str = "") -> QuerySet[Resource]:
    """Every resource with its session and its view and download counts (for the committee: its
    list prints no topic, version or uploader)."""
    qs = Resource.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return with_counts(qs).select_related("session").order_by("-created", "-pk")


def resource_for_page(pk: int) -> Resource:
    return with_related(Resource.objects.filter(pk=pk)).get()


def watched_recording(user: User, session: TeachingSession) -> bool:
    """Whether the server streamed enough of an in-app recording of this session to the member
    (RecordingPlayback). Opening its page is not watching; a recording hosted elsewhere cannot
    be observed, so it never counts."""
    return RecordingPlayback.objects.filter(
        user=user, resource__session=session, resource__kind=Kind.RECORDING, watched=True
    ).exists()


def watched_playbacks() -> QuerySet[RecordingPlayback]:
    """Playbacks that count as having watched the recording."""
    return RecordingPlayback.objects.filter(resource__kind=Kind.RECORDING, watched=True)


def recording_viewers(session: TeachingSession) -> QuerySet[User]:
    """Members who watched a recording of this session (see watched_recording), each once."""
    return User.objects.filter(
        Exists(watched_playbacks().filter(user=OuterRef("pk"), resource__session=session))
    )


def sessions_missing_slides(now: datetime, days: int) -> QuerySet[TeachingSession]:
    """Published sessions starting within `days` that have no published slides yet."""
    has_slides = Exists(
        Resource.objects.filter(session=OuterRef("pk"), kind=Kind.SLIDES, status=Status.PUBLISHED)
    )
    return (
        TeachingSession.objects.filter(
            status=TeachingSession.Status.PUBLISHED,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(days=days),
        )
        .exclude(has_slides)
        .prefetch_related("tutors")
    )
