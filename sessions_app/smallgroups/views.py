"""My availability (the weekly grid, exceptions, imported busy times) and Find a time."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from meded.errors import attempt
from meded.parsing import parse_date, parse_int
from meded.remember import member_key, minute, remember, remember_html, with_csrf
from meded.roles import committee_required, is_tutor, member_required, tutor_required

from . import busy_times, services
from .engine.find_time import heat_map, rank
from .engine.grid import parse_time, time_label
from .forms import (
    CalendarFeedForm,
    CalendarFileForm,
    ExceptionForm,
    FindTimeForm,
    SlotSessionForm,
    WeekForm,
    shown_cells,
)
from .grid_html import content_html, week_grid_html
from .invitations import create_session_for_slot
from .selectors import attendees, own_availability

FIND_A_TIME = "sessions_app/smallgroups/find_a_time.html"
FIND_A_TIME_BODY = "sessions_app/smallgroups/_find_a_time_body.html"


def _save_week(request):
    form = WeekForm(request.POST)
    if form.is_valid():
        kept = services.week_of(request.user) - shown_cells()
        ok, _ = attempt(
            request, services.save_week, request.user, kept | set(form.cleaned_data["cell"])
        )
        if ok:
            return form, "Your week is saved."
    return form, None


def _add_exception(request):
    form = ExceptionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        ok, _ = attempt(
            request,
            services.add_exception,
            request.user,
            d["starts_on"],
            d["ends_on"],
            d["label"],
            form=form,
        )
        if ok:
            return form, "The dates are marked busy."
    return form, None


def _import_file(request):
    form = CalendarFileForm(request.POST, request.FILES)
    if form.is_valid():
        ok, count = attempt(
            request,
            busy_times.import_file,
            request.user,
            form.cleaned_data["calendar_file"],
            form=form,
        )
        if ok:
            return form, f"{count} busy time(s) imported from your calendar file."
    return form, None


def _set_feed(request):
    form = CalendarFeedForm(request.POST)
    if form.is_valid():
        ok, _ = attempt(
            request, busy_times.set_feed, request.user, form.cleaned_data["feed_url"], form=form
        )
        if ok:
            return form, "Your calendar feed is read; its busy times count from now on."
    return form, None


ACTIONS = {
    "week": ("week_form", _save_week),
    "exception": ("exception_form", _add_exception),
    "calendar_file": ("file_form", _import_file),
    "feed": ("feed_form", _set_feed),
}


def _blank_forms(week: bool = True) -> dict:
    """The page's unbound forms. The grid is written in Python (grid_html.py) and reads only a
    refused week's errors from its form: a visit that is not a POST needs none (a form with a
    choice per cell is dear to copy)."""
    return {
        "week_form": WeekForm() if week else None,
        "exception_form": ExceptionForm(),
        "file_form": CalendarFileForm(),
        "feed_form": CalendarFeedForm(),
    }


@member_required
def my_availability(request):
    user, partial = request.user, "sessions_app/smallgroups/_availability_content.html"
    if request.method == "POST":  # a refused form comes back with its errors: never cached
        forms = _blank_forms()
        action = ACTIONS.get(request.POST.get("action", ""))
        if action:
            name, handler = action
            forms[name], done = handler(request)
            if done:
                messages.success(request, done)
                return redirect("sessions_app:availability")
        content = render_to_string(partial, _availability(user, forms), request=request)
        status = 400
    else:  # the member's own, until they change it or a busy time passes (minute); the blank
        # forms are built only when the content is computed, and it is rendered once per
        # process per everything it shows (grid_html.content_html)
        parts = (user.pk, is_tutor(user), minute())

        def compute() -> str:
            return content_html(_availability(user, {}), lambda: _blank_forms(week=False))

        remembered = request.method in ("GET", "HEAD")  # as remember_html
        html = remember("availability:mine", parts, compute) if remembered else compute()
        content = mark_safe(with_csrf(request, html))
        status = 200
    context = {"content": content}
    return render(request, "sessions_app/smallgroups/availability.html", context, status=status)


def _availability(user, forms: dict) -> dict:
    own = own_availability(user)
    return {
        "grid": week_grid_html(own.pop("free")),
        **forms,
        **own,
        "can_find_times": is_tutor(user),
    }


@require_POST
@member_required
def remove_exception(request, pk: int):
    ok, _ = attempt(request, services.remove_exception, request.user, pk)
    if ok:
        messages.success(request, "The exception is removed.")
    return redirect("sessions_app:availability")


@require_POST
@member_required
def forget_imports(request):
    """Drop the busy times of the last calendar file, and stop reading the feed."""
    busy_times.forget_file(request.user)
    busy_times.remove_feed(request.user)
    messages.success(request, "Imported busy times are removed; your calendar is not read.")
    return redirect("sessions_app:availability")


def _find_a_time(request):
    """Who is free when, as a heat map of dates by start times, then best slots first.

    The page before a search is remembered for the member and the day (its quick searches
    start today); a search is computed each time."""
    if not request.GET:
        body = remember_html(
            request,
            "find-a-time",
            (*member_key(request.user), timezone.localdate().isoformat()),
            FIND_A_TIME_BODY,
            lambda: _find_a_time_context(request),
        )
        return render(request, FIND_A_TIME, {"body": body})
    context = _find_a_time_context(request)
    status = 400 if not context["form"].is_valid() else 200
    return render(request, FIND_A_TIME, context, status=status)


def _find_a_time_context(request) -> dict:
    form = FindTimeForm(request.GET or None, user=request.user)
    grid, best, total, length = [], [], 0, 0
    if form.is_valid():
        d = form.cleaned_data
        people = attendees(d["members"], d["first"], d["last"])
        length, total = d["minutes"] // 30, len(people)
        grid = heat_map(people, d["first"], d["last"], length)
        best = rank(grid, limit=10)
    return {
        "form": form,
        "rows": [_heat_row(row, total) for row in grid],
        "best": [_slot_row(s, length, total) for s in best],
        "starts": [time_label(s.start) for s in grid[0]] if grid else [],
        "total": total,
        "searched": form.is_bound,
        "query": request.GET.urlencode(),
        "can_create": form.committee,
        "quick": _quick_queries(form),
    }


def _quick_queries(form) -> list[tuple[str, str]]:
    """One-click searches for the next fortnight: each group the member may look at."""
    today = timezone.localdate()
    dates = {"minutes": 60, "first": today, "last": today + timedelta(days=13)}
    return [
        (label, urlencode({"who": key, **dates}))
        for key, label in form.fields["who"].choices
        if key
    ][:6]


def _heat_row(row, total: int) -> dict:
    """A date of the heat map: each start's count and a shade 0-4 (the count is the text)."""
    cells = [{"free": len(s.free), "shade": round(4 * len(s.free) / max(total, 1))} for s in row]
    return {"day": row[0].day, "cells": cells}


def _slot_row(slot, length: int, total: int) -> dict:
    return {
        "slot": slot,
        "start": time_label(slot.start),
        "end": time_label(slot.start + length),
        "total": total,
    }


find_a_time = committee_required(_find_a_time)
find_a_time_for_my_groups = tutor_required(_find_a_time)


def _slot_start(request) -> tuple[datetime, datetime] | None:
    day: date | None = parse_date(request.GET.get("day"))
    minutes = parse_int(request.GET.get("minutes"), low=30, high=180)
    try:
        start = parse_time(request.GET.get("start", ""))
    except ValueError:
        return None
    if day is None or minutes is None:
        return None
    starts_at = timezone.make_aware(datetime.combine(day, time(start // 2, 30 * (start % 2))))
    return starts_at, starts_at + timedelta(minutes=minutes)


@committee_required
def session_from_slot(request):
    """One click from a slot: the session prefilled, made through the scheduling service."""
    finder = FindTimeForm(request.GET, user=request.user)
    when = _slot_start(request)
    if not finder.is_valid() or when is None:
        messages.error(request, "That slot is no longer valid; find a time again.")
        return redirect("sessions_app:find_a_time")
    people = finder.cleaned_data["members"]
    form = SlotSessionForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, session = attempt(
            request,
            create_session_for_slot,
            title=d["title"],
            starts_at=when[0],
            ends_at=when[1],
            delivery=d["delivery"],
            venue=d["venue"],
            join_link=d["join_link"],
            leaders=d["leaders"],
            invited=people,
            form=form,
        )
        if ok:
            messages.success(request, "The session is made as a draft. Check who is invited.")
            return redirect(
                reverse("committee_mailing_new", args=["smallgroups.invite", session.pk])
            )
    return render(
        request,
        "sessions_app/smallgroups/session_from_slot.html",
        {"form": form, "starts_at": when[0], "ends_at": when[1], "people": people},
        status=400 if request.method == "POST" else 200,
    )
