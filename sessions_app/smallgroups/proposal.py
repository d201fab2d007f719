"""The proposal: run the engine on stored availability, move a student, lock a group.

The engine is slow next to a page, so it runs with no lock held; the result is stored only if
the proposal's revision is still the one it was built from (anything changed meanwhile asks
for a new run). Groups already published take part as locked groups: they keep their tutor,
time and members, and may only gain students where they have room.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from meded.models import User

from .engine import EngineError, GroupInputs, LockedGroup, Person, TutorInput, form_groups
from .engine.grid import cell_label
from .programme_models import Enrolment, GroupMember, Programme, ProgrammeGroup
from .programmes import ProgrammeError, can_meet, free_for_term


def _lock(programme: Programme) -> Programme:
    return Programme.objects.select_for_update().get(pk=programme.pk)


def engine_inputs(programme: Programme) -> GroupInputs:
    """The engine's problem from the stored programme, availability and locked groups."""
    leaders = list(programme.leaders.select_related("tutor"))
    students = [e.student for e in programme.enrolments.select_related("student")]
    free = free_for_term(programme, [le.tutor for le in leaders] + students)
    locked = []
    for group in programme.groups.filter(locked=True).prefetch_related("members"):
        members = tuple(str(m.student_id) for m in group.members.all())
        locked.append(LockedGroup(str(group.tutor_id), group.start, members))
    return GroupInputs(
        tutors=tuple(
            TutorInput(str(le.tutor_id), le.max_groups, free[le.tutor_id]) for le in leaders
        ),
        students=tuple(Person(str(s.pk), free[s.pk]) for s in students),
        size=programme.group_size,
        length=programme.length,
        seed=programme.seed,
        locked=tuple(locked),
    )


def run(programme: Programme) -> Programme:
    """Form the groups again around the locked ones; store groups and why anyone is left out."""
    programme = Programme.objects.get(pk=programme.pk)
    revision = programme.revision
    if not programme.enrolments.exists():
        raise ProgrammeError("Nobody is signed up yet: enrol the year or wait for sign-ups.")
    try:
        result = form_groups(engine_inputs(programme))  # no lock held while it solves
    except EngineError as exc:
        raise ProgrammeError(f"The groups cannot be formed: {exc}.") from exc
    with transaction.atomic():
        programme = _lock(programme)
        if programme.revision != revision:
            raise ProgrammeError("The proposal changed while the engine ran; run it again.")
        programme.groups.filter(locked=False).delete()
        kept = {(g.tutor_id, g.start): g for g in programme.groups.all()}
        placed = set(
            GroupMember.objects.filter(programme=programme).values_list("student_id", flat=True)
        )
        new_members = []
        for found in result.groups:
            key = (int(found.tutor), found.start)
            group = kept.get(key) or ProgrammeGroup.objects.create(
                programme=programme, tutor_id=key[0], start=found.start
            )
            new_members += [
                GroupMember(programme=programme, group=group, student_id=int(sid))
                for sid in found.students
                if int(sid) not in placed
            ]
        GroupMember.objects.bulk_create(new_members)
        reasons = {int(u.student): u.reason.value for u in result.unplaced}
        for enrolment in programme.enrolments.all():
            reason = reasons.get(enrolment.student_id, "")
            if enrolment.unplaced_reason != reason:
                enrolment.unplaced_reason = reason
                enrolment.save(update_fields=["unplaced_reason"])
        programme.revision += 1
        programme.ran_at = timezone.now()
        programme.proven_optimal = result.optimal
        programme.save(update_fields=["revision", "ran_at", "proven_optimal"])
    return programme


def move(actor, programme: Programme, student: User, group_id: int) -> GroupMember:
    """The committee's move: a published member moves between published groups (re-booked,
    emailed); anyone else moves within the proposal."""
    from .moves import move_published

    if GroupMember.objects.filter(programme=programme, student=student, booked=True).exists():
        return move_published(actor, programme, student, group_id)
    return move_student(programme, student, group_id)


def move_student(programme: Programme, student: User, group_id: int) -> GroupMember:
    """Put a student into another group: it must have room and meet when they are free."""
    with transaction.atomic():
        programme = _lock(programme)
        enrolment = Enrolment.objects.filter(programme=programme, student=student).first()
        if enrolment is None:
            raise ProgrammeError("That student is not in this programme.", "student")
        target = ProgrammeGroup.objects.filter(programme=programme, pk=group_id).first()
        if target is None:
            raise ProgrammeError("Choose one of this programme's groups.", "group")
        current = GroupMember.objects.filter(programme=programme, student=student).first()
        if current and current.group_id == target.pk:
            raise ProgrammeError(f"{student} is already in that group.", "group")
        if current and (current.booked or current.group.locked):
            raise ProgrammeError(
                f"{student}'s group is locked or published: unlock it first, or handle a "
                "published member's request with the tutor.",
                "student",
            )
        if target.locked:
            raise ProgrammeError("That group is locked: unlock it to change its members.", "group")
        if target.members.count() >= programme.group_size:
            raise ProgrammeError(f"That group is full ({programme.group_size} students).", "group")
        free = free_for_term(programme, [student])[student.pk]
        if not can_meet(programme, free, target.start):
            day, time = cell_label(target.start)
            raise ProgrammeError(
                f"{student} is not free on {day} at {time} for {programme.minutes} minutes "
                "(their week or their busy dates).",
                "group",
            )
        if current:
            current.group = target
            current.save(update_fields=["group"])
        else:
            current = GroupMember.objects.create(programme=programme, group=target, student=student)
        enrolment.unplaced_reason = ""
        enrolment.save(update_fields=["unplaced_reason"])
        programme.revision += 1
        programme.save(update_fields=["revision"])
        return current


def set_locked(programme: Programme, group_id: int, locked: bool) -> ProgrammeGroup:
    """A locked group keeps its tutor, time and members when the engine runs again."""
    with transaction.atomic():
        programme = _lock(programme)
        group = ProgrammeGroup.objects.filter(programme=programme, pk=group_id).first()
        if group is None:
            raise ProgrammeError("That group is no longer in the proposal; reload the page.")
        if not locked and group.series_id:
            raise ProgrammeError("A published group stays locked.")
        group.locked = locked
        group.save(update_fields=["locked"])
        programme.revision += 1
        programme.save(update_fields=["revision"])
        return group
