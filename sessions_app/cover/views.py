"""The tutor's load page and the committee's cover page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from meded.errors import attempt
from meded.parsing import parse_ids
from meded.roles import committee_required, tutor_required
from sessions_app.models import TeachingSession

from . import selectors, services
from .models import CoverOffer, CoverRequest


@tutor_required
def load(request):
    return render(request, "sessions_app/cover/load.html", selectors.load(request.user))


@tutor_required
@require_POST
def ask(request, pk: int):
    session = get_object_or_404(TeachingSession, pk=pk)
    note = request.POST.get("note", "")
    if attempt(request, services.ask_for_cover, request.user, session, note)[0]:
        messages.success(
            request, "The committee has your request and will look for cover. Thank you for saying."
        )
    return redirect("sessions_app:teaching_load")


@tutor_required
@require_POST
def withdraw(request, pk: int):
    cover = get_object_or_404(CoverRequest, pk=pk, tutor=request.user)
    if attempt(request, services.withdraw, request.user, cover)[0]:
        messages.success(request, "Request withdrawn: you are teaching this session.")
    return redirect("sessions_app:teaching_load")


@tutor_required
@require_POST
def accept(request, pk: int):
    offer = get_object_or_404(CoverOffer, pk=pk, tutor=request.user)
    if attempt(request, services.accept_cover, request.user, offer)[0]:
        messages.success(request, "Thank you: the session is now yours.")
    return redirect("sessions_app:teaching_load")


@committee_required
def committee(request):
    return render(
        request, "sessions_app/cover/committee.html", {"requests": selectors.open_requests()}
    )


@committee_required
def offer(request, pk: int):
    """Preview who would be asked, then confirm: several people are emailed."""
    cover = get_object_or_404(CoverRequest.objects.select_related("session__topic", "tutor"), pk=pk)
    candidates = list(services.candidates(cover))
    if request.method == "POST":
        ids = parse_ids(request.POST.getlist("tutor"))
        if request.POST.get("confirm"):
            ok, n = attempt(request, services.offer_cover, request.user, cover, ids)
            if ok:
                messages.success(request, f"Offered to {n} tutor{'s' if n != 1 else ''}.")
                return redirect("sessions_app:cover_committee")
        else:
            chosen = [t for t in candidates if t.pk in ids]
            if chosen:
                return render(
                    request,
                    "sessions_app/cover/offer.html",
                    {"cover": cover, "candidates": candidates, "preview": chosen},
                )
            messages.error(request, "Choose at least one tutor from the list.")
    return render(
        request, "sessions_app/cover/offer.html", {"cover": cover, "candidates": candidates}
    )
