"""The register (tutors and committee), students' self check-in, and the no-show list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from meded.errors import attempt
from meded.remember import member_key, minute, remember, remember_html
from meded.roles import committee_required, member_required
from sessions_app.booking import qr_checkin, selectors
from sessions_app.booking.attendance import (
    add_walk_in,
    check_in,
    checkin_open,
    mark_all_present,
    mark_register,
)
from sessions_app.booking.fingerprint import session_bookings
from sessions_app.booking.forms import CheckInForm
from sessions_app.scheduling.models import TeachingSession
from sessions_app.scheduling.views.common import visible_session

REGISTER = "sessions_app/register.html"
MARKS = {"attended": True, "absent": False, "": None}


@member_required
def register(request, pk: int):
    session = visible_session(request, pk)
    if not session.is_run_by(request.user):
        raise PermissionDenied("The register is for this session's tutors and the committee.")
    if request.method == "POST" and request.POST.get("action") == "all_present":
        ok, n = attempt(request, mark_all_present, request.user, session)
        if ok:
            messages.success(request, f"{n} marked present.")
        return redirect("sessions_app:register", pk=pk)
    if request.method == "POST" and request.POST.get("action") == "walk_in":
        ok, booking = attempt(
            request, add_walk_in, request.user, session, request.POST.get("email", "")
        )
        if ok:
            messages.success(request, f"{booking.student} added as a walk-in, marked present.")
        return redirect("sessions_app:register", pk=pk)
    if request.method == "POST":
        rows = list(selectors.register(session))
        marks = {b.pk: MARKS.get(request.POST.get(f"b{b.pk}", "")) for b in rows}
        ok, n = attempt(request, mark_register, request.user, session, marks)
        if ok:
            messages.success(request, f"Register saved ({n} changed).")
            return redirect("sessions_app:register", pk=pk)
        return render(request, REGISTER, {**_register(session), "session": session})
    body = remember_html(
        request,
        "register",
        (*member_key(request.user), pk, minute()),  # check-in opens with the clock
        "sessions_app/_register_body.html",
        lambda: _register(TeachingSession.objects.get(pk=pk)),  # read here: a new title shows
        cover=session_bookings(pk),  # this session's bookings only: others' bookings keep it
    )
    return render(request, REGISTER, {"session": session, "body": body})


def _register(session: TeachingSession) -> dict:
    rows = list(selectors.register(session))
    return {
        "session": session,
        "rows": rows,
        "checkin_open": checkin_open(session, timezone.now()),
        "present": sum(1 for b in rows if b.attended),
    }


@require_POST
@member_required
def checkin(request, pk: int):
    session = visible_session(request, pk)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Type the check-in code your tutor is showing.")
    elif attempt(request, check_in, request.user, session, form.cleaned_data["code"])[0]:
        messages.success(request, "You are checked in. Enjoy the session!")
    return redirect("sessions_app:detail", pk=pk)


@committee_required
def no_shows(request):
    page = Paginator(selectors.no_show_counts(), 50).get_page(request.GET.get("page"))
    return render(request, "sessions_app/committee_no_shows.html", {"page": page})


@member_required
def checkin_screen(request, pk: int):
    """The QR code for the room's screen; the page reloads itself as the code rotates."""
    session = visible_session(request, pk)
    if not session.is_run_by(request.user):
        raise PermissionDenied(
            "The check-in screen is for this session's tutors and the committee."
        )
    url = request.build_absolute_uri(qr_checkin.scan_path(session))
    context = {
        "session": session,
        # drawn once per code (it changes every window): the URL is all the image shows
        "svg": remember("checkin-qr", (url,), lambda: qr_checkin.qr_svg(url)),
        "refresh": max(5, qr_checkin.window_seconds() // 2),
        "checkin_open": checkin_open(session, timezone.now()),
    }
    return render(request, "sessions_app/checkin_screen.html", context)


@member_required
def checkin_qr(request, pk: int, code: str):
    """Where the QR code leads: GET asks, POST checks in (so a link preview changes nothing)."""
    session = visible_session(request, pk)
    if request.method == "POST":
        ok, _ = attempt(request, qr_checkin.check_in_by_qr, request.user, session, code)
        if ok:
            messages.success(request, "You are checked in. Enjoy the session!")
        return redirect("sessions_app:detail", pk=pk)
    return render(request, "sessions_app/checkin_qr.html", {"session": session})
