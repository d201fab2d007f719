"""The register (tutors and committee) and students' self check-in."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from meded.roles import member_required
from sessions_app import selectors
from sessions_app.forms import CheckInForm
from sessions_app.services import SessionError
from sessions_app.services.attendance import check_in, checkin_open, mark_register

from .common import is_staff_for, visible_session

MARKS = {"attended": True, "absent": False, "": None}


@member_required
def register(request, pk: int):
    session = visible_session(request, pk)
    if not is_staff_for(request.user, session):
        raise PermissionDenied("The register is for this session's tutors and the committee.")
    rows = list(selectors.register(session))
    if request.method == "POST":
        marks = {b.pk: MARKS.get(request.POST.get(f"b{b.pk}", "")) for b in rows}
        try:
            n = mark_register(request.user, session, marks)
            messages.success(request, f"Register saved ({n} changed).")
            return redirect("sessions_app:register", pk=pk)
        except SessionError as exc:
            messages.error(request, str(exc))
    context = {
        "session": session,
        "rows": rows,
        "checkin_open": checkin_open(session, timezone.now()),
        "present": sum(1 for b in rows if b.attended),
    }
    return render(request, "sessions_app/register.html", context)


@require_POST
@member_required
def checkin(request, pk: int):
    session = visible_session(request, pk)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Type the check-in code your tutor is showing.")
    else:
        try:
            check_in(request.user, session, form.cleaned_data["code"])
            messages.success(request, "You are checked in. Enjoy the session!")
        except SessionError as exc:
            messages.error(request, str(exc))
    return redirect("sessions_app:detail", pk=pk)
