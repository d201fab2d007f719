"""Topic swaps: a tutor offers a topic; the committee sees the proposed swaps and approves."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from meded.errors import attempt
from meded.parsing import parse_id
from meded.roles import committee_required, tutor_required
from tutors.allocation.services import swaps
from tutors.models import AllocatedTopic, AllocationChange, RecruitmentRound, SwapOffer


@tutor_required
def my_swaps(request):
    pairs = (
        AllocatedTopic.objects.filter(tutor=request.user, run__is_published=True)
        .select_related("offering__topic", "run__round")
        .order_by("-run__published_at", "offering__topic__code")
    )
    open_by_pair = {
        o.pair_id: o
        for o in SwapOffer.objects.filter(pair__tutor=request.user, status=SwapOffer.Status.OPEN)
    }
    history = AllocationChange.objects.filter(tutor=request.user).select_related(
        "from_offering__topic", "to_offering__topic"
    )
    rows = [{"pair": p, "offer": open_by_pair.get(p.pk)} for p in pairs]
    return render(request, "tutors/swaps_mine.html", {"rows": rows, "history": history})


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
