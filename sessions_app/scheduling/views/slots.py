"""Teaching dates: the committee releases slots; tutors pick theirs; the rest is placed."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from meded.errors import attempt
from meded.parsing import parse_id
from meded.remember import member_key, minute, page_parts, remember_html
from meded.roles import committee_required, tutor_required
from sessions_app.scheduling import slots
from sessions_app.scheduling.models import SlotRelease
from sessions_app.scheduling.slot_forms import DeadlineForm, SlotForm
from tutors.models import RecruitmentRound


@tutor_required
def my_teaching_slots(request):
    if request.method == "POST":
        ok, session = attempt(
            request,
            slots.pick_slot,
            request.user,
            parse_id(request.POST.get("slot")),
            parse_id(request.POST.get("offering")),
        )
        if ok:
            when = timezone.localtime(session.starts_at).strftime("%a %-d %b %Y %H:%M")
            messages.success(request, f"You teach “{session.title}” on {when}.")
        return redirect("sessions_app:my_teaching_slots")
    body = remember_html(
        request,
        "teaching-dates",
        (*member_key(request.user), minute()),  # picking closes with the clock
        "sessions_app/_teaching_slots_mine_body.html",
        lambda: _my_slots(request.user),
    )
    return render(request, "sessions_app/teaching_slots_mine.html", {"body": body})


def _my_slots(tutor) -> dict:
    rounds = [
        {
            "round": r,
            "release": {"pick_deadline": r.pick_deadline},
            "choices": slots.choices_for(tutor, r),
        }
        for r in slots.rounds_for_tutor(tutor)
    ]
    return {"rounds": rounds, "now": timezone.now()}


@committee_required
def committee_teaching_slots(request, round_id: int):
    round = get_object_or_404(RecruitmentRound, pk=round_id)
    slot_form = deadline_form = None  # the forms as sent, when they come back with errors
    status = 200
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "add":
        slot_form = SlotForm(request.POST, prefix="slot")
        if slot_form.is_valid():
            ok, made = attempt(
                request, slots.add_slots, round, **slot_form.cleaned_data, form=slot_form
            )
            if ok:
                messages.success(request, f"{len(made)} slot{'s' if len(made) != 1 else ''} added.")
                return redirect("sessions_app:committee_teaching_slots", round.pk)
        status = 400
    elif action == "release":
        deadline_form = DeadlineForm(request.POST, prefix="release")
        if deadline_form.is_valid():
            ok, _ = attempt(
                request,
                slots.release,
                round,
                deadline_form.cleaned_data["deadline"],
                request.user,
                form=deadline_form,
            )
            if ok:
                messages.success(request, "Slots released: tutors can pick their dates.")
                return redirect("sessions_app:committee_teaching_slots", round.pk)
        status = 400
    elif action is not None:
        messages.error(request, "Choose what to do.")
        return redirect("sessions_app:committee_teaching_slots", round.pk)

    def context() -> dict:
        round = get_object_or_404(RecruitmentRound, pk=round_id)  # read while remembering
        release = SlotRelease.objects.filter(round=round).first()
        closed = release is not None and timezone.now() >= release.pick_deadline
        deadline = release.pick_deadline if release else None
        return {
            "round": round,
            "release": release,
            "closed": closed,
            "slots": round.teaching_slots.select_related("session", "picked_by"),
            "slot_form": slot_form or SlotForm(prefix="slot"),
            "deadline_form": deadline_form
            or DeadlineForm(prefix="release", initial={"deadline": deadline}),
            "proposal": slots.proposal(round) if closed else [],
            "waiting": slots.waiting_topics(round),
        }

    body = remember_html(
        request,
        "committee_teaching_slots",
        page_parts(request, round_id),
        "sessions_app/_teaching_slots_committee_body.html",
        context,
    )
    return render(
        request,
        "sessions_app/teaching_slots_committee.html",
        {"round": round, "body": body},
        status=status,
    )


@require_POST
@committee_required
def committee_remove_slot(request, round_id: int, pk: int):
    round = get_object_or_404(RecruitmentRound, pk=round_id)
    ok, _ = attempt(request, slots.remove_slot, round, pk)
    if ok:
        messages.success(request, "Slot removed.")
    return redirect("sessions_app:committee_teaching_slots", round.pk)


@require_POST
@committee_required
def committee_place_remaining(request, round_id: int):
    round = get_object_or_404(RecruitmentRound, pk=round_id)
    ok, placed = attempt(request, slots.place_remaining, round)
    if ok:
        messages.success(request, f"{placed} topic{'s' if placed != 1 else ''} placed as drafts.")
    return redirect("sessions_app:committee_teaching_slots", round.pk)
