"""Reads of programmes for their pages, each a fixed number of queries whatever the size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from meded.models import User

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
    """Programmes open to the member's verified year, and the groups they are in or lead."""
    mine = list(
        GroupMember.objects.filter(student=user)
        .select_related("group__tutor", "group__programme")
        .prefetch_related("group__members__student")
    )
    leading = list(
        ProgrammeGroup.objects.filter(tutor=user)
        .select_related("programme", "tutor")
        .prefetch_related("members__student")
    )
    signed = set(Enrolment.objects.filter(student=user).values_list("programme_id", flat=True))
    open_ = []
    if user.verified_year.isdigit():
        open_ = list(
            Programme.objects.filter(
                year__number=int(user.verified_year), state=Programme.State.DRAFT
            ).select_related("year")
        )
    asked = set(
        MoveRequest.objects.filter(member=user, handled_at__isnull=True).values_list(
            "programme_id", flat=True
        )
    )
    return {
        "open": [(p, p.pk in signed) for p in open_],
        "groups": [m.group for m in mine],
        "leading": leading,
        "asked": asked,
    }


def for_home(user) -> dict:
    """What the member's home shows of `for_member`: their groups and those they lead (one
    query), the programmes open to their verified year and whether they signed up (another),
    with only the fields a line prints."""
    member = GroupMember.objects.filter(group_id=OuterRef("pk"), student_id=user.pk)
    shown = (
        "id",
        "start",
        "series",
        "programme__title",
        *(f"tutor__{f}" for f in User.DISPLAY_FIELDS),
    )
    groups = list(
        ProgrammeGroup.objects.filter(Q(Exists(member)) | Q(tutor_id=user.pk))
        .annotate(member=Exists(member))
        .select_related("programme", "tutor")
        .only(*shown)
    )
    open_ = []
    if user.verified_year.isdigit():
        signed = Exists(Enrolment.objects.filter(programme_id=OuterRef("pk"), student_id=user.pk))
        programmes = Programme.objects.filter(
            year__number=int(user.verified_year), state=Programme.State.DRAFT
        )
        open_ = [(p, p.signed) for p in programmes.annotate(signed=signed).only("id", "title")]
    return {
        "open": open_,
        "groups": [g for g in groups if g.member],
        "leading": [g for g in groups if g.tutor_id == user.pk],
    }
