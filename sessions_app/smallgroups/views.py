"""My availability: the weekly grid (checkboxes, enhanced by JavaScript) and exceptions."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from meded.errors import attempt
from meded.roles import committee_required, member_required

from . import services
from .engine.find_time import find_times
from .engine.grid import time_label
from .forms import ExceptionForm, FindTimeForm, WeekForm, grid_rows, shown_cells
from .selectors import attendees, exceptions_of


@member_required
def my_availability(request):
    week_form = WeekForm()
    exception_form = ExceptionForm()
    if request.method == "POST" and request.POST.get("action") == "week":
        week_form = WeekForm(request.POST)
        if week_form.is_valid():
            kept = services.week_of(request.user) - shown_cells()
            chosen = set(week_form.cleaned_data["cell"])
            ok, _ = attempt(request, services.save_week, request.user, kept | chosen)
            if ok:
                messages.success(request, "Your week is saved.")
                return redirect("sessions_app:availability")
    elif request.method == "POST" and request.POST.get("action") == "exception":
        exception_form = ExceptionForm(request.POST)
        if exception_form.is_valid():
            data = exception_form.cleaned_data
            ok, _ = attempt(
                request,
                services.add_exception,
                request.user,
                data["starts_on"],
                data["ends_on"],
                data["label"],
                form=exception_form,
            )
            if ok:
                messages.success(request, "The dates are marked busy.")
                return redirect("sessions_app:availability")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "sessions_app/smallgroups/availability.html",
        {
            "rows": grid_rows(services.week_of(request.user)),
            "week_form": week_form,
            "exception_form": exception_form,
            "exceptions": exceptions_of(request.user),
        },
        status=status,
    )


@require_POST
@member_required
def remove_exception(request, pk: int):
    ok, _ = attempt(request, services.remove_exception, request.user, pk)
    if ok:
        messages.success(request, "The exception is removed.")
    return redirect("sessions_app:availability")


@committee_required
def find_a_time(request):
    """Who is free when, for any set of people: best slots first, with who cannot come."""
    form = FindTimeForm(request.GET or None)
    slots = []
    if form.is_valid():
        d = form.cleaned_data
        people = attendees(d["members"], d["first"], d["last"])
        length = d["minutes"] // 30
        slots = [
            {
                "slot": s,
                "start": time_label(s.start),
                "end": time_label(s.start + length),
                "total": len(people),
            }
            for s in find_times(people, d["first"], d["last"], length)
        ]
    return render(
        request,
        "sessions_app/smallgroups/find_a_time.html",
        {"form": form, "slots": slots, "searched": form.is_bound},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
