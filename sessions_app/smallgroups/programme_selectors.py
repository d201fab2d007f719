"""Reads of programmes for their pages, each a fixed number of queries whatever the size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q

from meded.models import User
from meded.prepared import Prepared, PreparedForIds

from .engine.results import UnplacedReason
from .programme_models import Enrolment, GroupMember, MoveRequest, Programme, ProgrammeGroup

NOT_RUN = "not placed yet: run the engine"


def programme_list():
    return Programme.objects.select_related("year").annotate(
        n_students=Count("enrolments", distinct=True), n_groups=Count("groups", distinct=True)
    )


def explain(reason: str) -> str:
    try:
        return UnplacedReason(reason).explanation
    except ValueError:
        return NOT_RUN


@dataclass
class Review:
    programme: Programme
    groups: list[ProgrammeGroup]
    unplaced: list[tuple[Enrolment, str]]
    enrolments: list[Enrolment]
    requests: list[MoveRequest]

    @property
    def placed(self) -> int:
        return sum(len(g.members.all()) for g in self.groups)


def review(programme: Programme) -> Review:
    groups = list(
        programme.groups.select_related("tutor", "series").prefetch_related("members__student")
    )
    placed = {m.student_id for g in groups for m in g.members.all()}
    enrolments = list(programme.enrolments.select_related("student"))
    unplaced = [(e, explain(e.unplaced_reason)) for e in enrolments if e.student_id not in placed]
    requests = list(
        programme.move_requests.filter(handled_at__isnull=True).select_related("member")
    )
    return Review(programme, groups, unplaced, enrolments, requests)


def open_requests():
    return MoveRequest.objects.filter(handled_at__isnull=True)


def unpublished_programmes():
    """Programmes with a proposal (groups) that members have not heard of yet."""
    return Programme.objects.filter(
        Q(groups__series__isnull=True) | Q(groups__members__booked=False)
    ).distinct()


def for_member(user) -> dict:
    """Programmes open to the member's verified year, and the groups they are in or lead, with
    each group's members and whether the member asked to move: `for_home`'s reads and two
    more, all compiled once per process (the page is computed again after any write)."""
    groups, open_ = _groups_and_open(user)
    members: dict[int, list[User]] = {}
    for group_id, name, email, erased in _MEMBERS.rows(ids=[g.pk for g in groups]):
        members.setdefault(group_id, []).append(User(full_name=name, email=email, erased_at=erased))
    for g in groups:
        g.member_list = members.get(g.pk, [])
    return {**_split(user, groups, open_), "asked": {pk for (pk,) in _ASKED.rows(user.pk)}}


def for_home(user) -> dict:
    """What the member's home shows of `for_member`: their groups and those they lead, the
    programmes open to their verified year and whether they signed up, with only the fields a
    line prints; two reads compiled once per process (every cold visit of the home page)."""
    return _split(user, *_groups_and_open(user))


def _split(user, groups: list[ProgrammeGroup], open_: list) -> dict:
    return {
        "open": open_,
        "groups": [g for g in groups if g.member],
        "leading": [g for g in groups if g.tutor_id == user.pk],
    }


def _groups_and_open(user) -> tuple[list[ProgrammeGroup], list[tuple[Programme, bool]]]:
    groups = _HOME_GROUPS.instances(user.pk)
    for g in groups:  # what a line prints of its programme and tutor, read with the group
        g.programme = Programme(
            pk=g.programme_id,
            title=g.programme_title,
            minutes=g.programme_minutes,
            venue=g.programme_venue,
        )
        g.tutor = User(
            pk=g.tutor_id, full_name=g.tutor_name, email=g.tutor_email, erased_at=g.tutor_erased
        )
    open_ = []
    if user.verified_year.isdigit():
        open_ = [
            (p, bool(p.signed)) for p in _HOME_OPEN.instances(user.pk, int(user.verified_year))
        ]
    return groups, open_


def _home_groups(user_pk: int):
    member = GroupMember.objects.filter(group_id=OuterRef("pk"), student_id=user_pk)
    return (
        ProgrammeGroup.objects.filter(Q(Exists(member)) | Q(tutor_id=user_pk))
        .annotate(
            member=Exists(member),
            programme_title=F("programme__title"),
            programme_minutes=F("programme__minutes"),
            programme_venue=F("programme__venue"),
            tutor_name=F("tutor__full_name"),
            tutor_email=F("tutor__email"),
            tutor_erased=F("tutor__erased_at"),  # only whether it is set is read (User.__str__)
        )
        .only("id", "start", "series", "programme", "tutor")
    )


def _home_open(user_pk: int, year: int):
    signed = Exists(Enrolment.objects.filter(programme_id=OuterRef("pk"), student_id=user_pk))
    programmes = Programme.objects.filter(year__number=year, state=Programme.State.DRAFT)
    return programmes.annotate(signed=signed).only(
        "id", "title", "minutes", "weeks", "first_day", "venue"
    )


_HOME_GROUPS = Prepared(_home_groups, 1)
_HOME_OPEN = Prepared(_home_open, 2, small=(1,))
# The groups page's own: each group's members (by name, as a line prints them), and the
# programmes the member asked to move in.
_MEMBERS = PreparedForIds(
    lambda ids: GroupMember.objects.filter(group_id__in=ids).values_list(
        "group_id", "student__full_name", "student__email", "student__erased_at"
    )
)
_ASKED = Prepared(
    lambda user_pk: (
        MoveRequest.objects.filter(member_id=user_pk, handled_at__isnull=True)
        .order_by()
        .values_list("programme_id")
    ),
    1,
)
