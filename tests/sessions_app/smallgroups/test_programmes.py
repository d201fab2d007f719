"""Small-group programmes: sign up with availability, form groups from stored weeks and busy
dates, move a student (checked), lock and re-run, ask to move."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from sessions_app.smallgroups import programmes, proposal
from sessions_app.smallgroups.programme_models import Enrolment, GroupMember, MoveRequest
from sessions_app.smallgroups.programme_selectors import review
from sessions_app.smallgroups.programmes import ProgrammeError
from sessions_app.smallgroups.services import add_exception
from tests.factories.core import CommitteeFactory, UserFactory

from .programme_support import MON_18, TUE_18, member, programme_with

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
TERM = date(2026, 10, 12)  # a Monday


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def groups_of(programme):
    return {
        (g.tutor_id, g.start): sorted(m.student_id for m in g.members.all())
        for g in programme.groups.prefetch_related("members")
    }


def test_signing_up_needs_the_verified_year_and_a_week_long_enough():
    programme, _, _ = programme_with(first_day=TERM, leaders=[(MON_18, 1)], minutes=60)
    with pytest.raises(ProgrammeError, match="Set your availability first"):
        programmes.sign_up(member(cells=[36]), programme)  # 30 minutes: too short
    with pytest.raises(ProgrammeError, match="Year 3"):
        programmes.sign_up(member(cells=MON_18, year_of_study="4"), programme)
    typed_only = member(cells=MON_18, verified_year="")  # typed year 3, never verified
    with pytest.raises(ProgrammeError, match="Year 3"):
        programmes.sign_up(typed_only, programme)
    ok = member(cells=MON_18)
    programmes.sign_up(ok, programme)
    with pytest.raises(ProgrammeError, match="already signed up"):
        programmes.sign_up(ok, programme)
    assert Enrolment.objects.filter(programme=programme).count() == 1


def test_run_places_the_most_students_and_says_why_the_rest_are_left_out():
    programme, (mon, tue), people = programme_with(
        first_day=TERM,
        size=2,
        leaders=[(MON_18, 1), (TUE_18, 1)],
        students=[MON_18, MON_18, TUE_18, MON_18],
    )
    late = member(cells=range(48 * 2 + 36, 48 * 2 + 38))  # Wednesday only
    programmes.enrol_year(None, programme)  # the year: `late` too (no common time)
    proposal.run(programme)
    found = review(programme)
    assert found.placed == 3  # Monday's group holds two of the three Monday students
    assert {(g.tutor_id, g.day, g.time) for g in found.groups} == {
        (mon.pk, "Mon", "18:00"),
        (tue.pk, "Tue", "18:00"),
    }
    reasons = {e.student_id: why for e, why in found.unplaced}
    assert len(reasons) == 2 and late.pk in reasons
    (left_out,) = set(reasons) - {late.pk}
    assert left_out in {people[0].pk, people[1].pk, people[3].pk}
    assert reasons[left_out] == "every group meeting at a time they can make is full"
    assert reasons[late.pk] == "no tutor is free for a whole meeting at any time they are"
    assert programme.__class__.objects.get(pk=programme.pk).proven_optimal


def test_busy_dates_taking_more_than_one_meeting_remove_that_weekday():
    programme, (mon,), (_student,) = programme_with(
        first_day=TERM, weeks=4, leaders=[(MON_18, 1)], students=[[*MON_18, *TUE_18]]
    )
    add_exception(mon, TERM, TERM + timedelta(days=8))  # two Mondays of four
    proposal.run(programme)
    assert review(programme).groups == []
    (enrolment,) = Enrolment.objects.filter(programme=programme)
    assert enrolment.unplaced_reason == "no_tutor_overlap"


def test_a_move_is_checked_for_availability_and_changes_nothing_when_refused():
    programme, (mon, tue), (a, b, c, d) = programme_with(
        first_day=TERM,
        size=3,
        leaders=[(MON_18, 1), (TUE_18, 1)],
        students=[MON_18, MON_18, TUE_18, [*MON_18, *TUE_18]],
    )
    proposal.run(programme)
    monday, tuesday = programme.groups.get(tutor=mon), programme.groups.get(tutor=tue)
    assert groups_of(programme) == {
        (mon.pk, 36): sorted([a.pk, b.pk]),
        (tue.pk, 84): sorted([c.pk, d.pk]),
    }
    before = groups_of(programme)
    with pytest.raises(ProgrammeError, match=r"not free on Tue at 18:00 for 60 minutes") as no:
        proposal.move_student(programme, a, tuesday.pk)
    assert no.value.field == "group"
    assert groups_of(programme) == before
    proposal.move_student(programme, d, monday.pk)
    assert groups_of(programme) == {
        (mon.pk, 36): sorted([a.pk, b.pk, d.pk]),
        (tue.pk, 84): [c.pk],
    }


def test_moving_into_a_full_group_is_refused():
    programme, (_mon, _tue), (a, b, c) = programme_with(
        first_day=TERM,
        size=2,
        leaders=[(MON_18, 1), (TUE_18, 1)],
        students=[[*MON_18, *TUE_18]] * 3,
    )
    proposal.run(programme)
    full = next(g for g in programme.groups.all() if g.members.count() == 2)
    outsider = next(s for s in (a, b, c) if not full.members.filter(student=s).exists())
    before = groups_of(programme)
    with pytest.raises(ProgrammeError, match=r"That group is full \(2 students\)"):
        proposal.move_student(programme, outsider, full.pk)
    assert groups_of(programme) == before


def test_a_locked_group_keeps_its_members_when_the_engine_runs_again():
    programme, (_mon, _tue), _people = programme_with(
        first_day=TERM,
        size=3,
        leaders=[(MON_18, 1), (TUE_18, 1)],
        students=[[*MON_18, *TUE_18]] * 4,
    )
    proposal.run(programme)
    group = programme.groups.order_by("start").first()
    kept = sorted(m.student_id for m in group.members.all())
    proposal.set_locked(programme, group.pk, True)
    other = programme.groups.exclude(pk=group.pk).get()
    with pytest.raises(ProgrammeError, match="locked or published"):
        proposal.move_student(programme, group.members.first().student, other.pk)
    proposal.run(programme)
    again = programme.groups.get(pk=group.pk)
    assert again.locked
    assert kept == [sid for sid in sorted(m.student_id for m in again.members.all()) if sid in kept]
    assert GroupMember.objects.filter(programme=programme).count() == 4


def test_a_run_solved_while_the_proposal_changed_is_not_stored(monkeypatch):
    programme, _, (_a,) = programme_with(first_day=TERM, leaders=[(MON_18, 1)], students=[MON_18])
    original = proposal.form_groups

    def meanwhile(inputs):
        result = original(inputs)
        programme.__class__.objects.filter(pk=programme.pk).update(revision=99)
        return result

    monkeypatch.setattr(proposal, "form_groups", meanwhile)
    with pytest.raises(ProgrammeError, match="changed while the engine ran"):
        proposal.run(programme)
    assert not programme.groups.exists()


def test_create_refuses_bad_values_with_their_field():
    from tests.factories.core import TutorFactory, year

    tutor = TutorFactory()
    good = dict(
        title="T",
        year=year(3),
        first_day=TERM,
        weeks=4,
        venue="Room",
        leaders=[programmes.Leader(tutor, 1)],
    )
    for change, field in [
        ({"minutes": 45}, "minutes"),
        ({"weeks": 0}, "weeks"),
        ({"group_size": 0}, "group_size"),
        ({"first_day": date(2026, 9, 1)}, "first_day"),
        ({"leaders": []}, "leaders"),
        ({"venue": " "}, "venue"),
    ]:
        with pytest.raises(ProgrammeError) as refused:
            programmes.create_programme(None, **{**good, **change})
        assert refused.value.field == field
    assert not programmes.Programme.objects.exists()


def test_only_members_of_a_published_group_may_ask_to_move_once():
    programme, (mon,), (a,) = programme_with(
        first_day=TERM, leaders=[(MON_18, 1)], students=[MON_18]
    )
    proposal.run(programme)
    with pytest.raises(ProgrammeError, match="no published group"):
        programmes.request_move(a, programme, "Mondays clash with placement")
    programme.__class__.objects.filter(pk=programme.pk).update(state="published")
    programme.refresh_from_db()
    with pytest.raises(ProgrammeError, match="no published group"):
        programmes.request_move(UserFactory(), programme, "please")
    asked = programmes.request_move(a, programme, "Mondays clash with placement")
    programmes.request_move(mon, programme, "I can only do Tuesdays now")
    with pytest.raises(ProgrammeError, match="already asked"):
        programmes.request_move(a, programme, "again")
    programmes.handle_request(CommitteeFactory(), asked.pk)
    assert MoveRequest.objects.filter(handled_at__isnull=True).count() == 1
