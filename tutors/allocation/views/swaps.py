"""Topic swaps: a tutor offers a topic; the committee sees the proposed swaps and approves."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from meded.errors import attempt
from meded.parsing import parse_id
from meded.remember import member_key, remember_html
from meded.roles import committee_required, tutor_required
from tutors.allocation import swap_reads
from tutors.allocation.services import swaps
from tutors.models import RecruitmentRound


@tutor_required
def my_swaps(request):
    """The tutor's allocated topics and swaps: remembered for the member until one changes."""
    body = remember_html(
        request,
        "tutor-swaps",
        member_key(request.user),
        "tutors/_swaps_mine_body.html",
        lambda: swap_reads.swaps_for_tutor(request.user),  # compiled once per process
    )
    return render(request, "tutors/swaps_mine.html", {"body": body})


@require_POST
@tutor_required
def my_swaps_action(request):
    action = request.POST.get("action")
    if action == "offer":
        ok, _ = attempt(request, swaps.offer_swap, request.user, parse_id(request.POST.get("pair")))
        if ok:
            messages.success(request, "Your topic is offered for swap; the committee decides.")
    elif action == "withdraw":
        ok, _ = attempt(
            request, swaps.withdraw_offer, request.user, parse_id(request.POST.get("offer"))
        )
        if ok:
            messages.success(request, "Your offer is withdrawn; you keep your topic.")
    else:
        messages.error(request, "Choose to offer or withdraw.")
    return redirect("tutors_swaps")


@committee_required
def round_swaps(request, round_id: int):
    round = get_object_or_404(RecruitmentRound, pk=round_id)
    offers = list(swaps.open_offers(round))
    moves = swaps.proposed_swaps(round, offers)
    moving = {m.offer.pk for m in moves}
    return render(
        request,
        "tutors/committee/swaps.html",
        {
            "round": round,
            "published": swaps.published_run(round),
            "offers": offers,
            "moves": moves,
            "staying": [o for o in offers if o.pk not in moving],
            "changes": swaps.recent_changes(round),
        },
    )
