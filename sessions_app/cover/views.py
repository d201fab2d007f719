"""The tutor's load page and the committee's cover page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from meded.errors import attempt
from meded.parsing import parse_ids
from meded.remember import member_key, minute, remember_html
from meded.roles import committee_required, tutor_required
from sessions_app.models import TeachingSession

from . import selectors, services
from .models import CoverOffer, CoverRequest


@tutor_required
def load(request):
    """The tutor's coming sessions, cover asked for and offered: remembered for the member and
    the minute (sessions pass with the clock)."""
    body = remember_html(
        request,
        "teaching-load",
        (*member_key(request.user), minute()),
        "sessions_app/cover/_load_body.html",
        lambda: selectors.load(request.user),
    )
    return render(request, "sessions_app/cover/load.html", {"body": body})


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
        ok, _ = attempt(request, services.choose_cover, request.user, cover, ids)
        if ok:
            # several tutors may be emailed: the preview (who, what), confirm, undo window
            return redirect("committee_mailing_new", action="sessions.offer_cover", target_id=pk)
    return render(
        request, "sessions_app/cover/offer.html", {"cover": cover, "candidates": candidates}
    )
