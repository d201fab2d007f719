"""The committee's scheduling pages under /committee/sessions/."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from meded.errors import attempt
from meded.models import User
from meded.parsing import parse_date, parse_id
from meded.remember import page_parts, remember_html
from meded.roles import committee_required
from sessions_app.booking import selectors as booking_selectors
from sessions_app.scheduling import selectors
from sessions_app.scheduling import services as scheduling
from sessions_app.scheduling.forms import CancelSessionForm, SessionForm
from sessions_app.scheduling.from_allocation import create_sessions_for_allocation
from sessions_app.scheduling.models import SessionChange, TeachingSession
from sessions_app.scheduling.services import NOTIFY_FIELDS
from tutors.models import RecruitmentRound


@committee_required
def session_admin_list(request):
    status = request.GET.get("status", "")
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    needs = request.GET.get("needs", "")
    needs = needs if needs in selectors.NEEDS else ""

    def context() -> dict:
        qs = selectors.committee_sessions(
            status if status in TeachingSession.Status else "", when, needs, places=False
        )
        return {
            "page": Paginator(qs, 25).get_page(request.GET.get("page")),
            "status": status,
            "when": when,
            "needs": needs,
            "needs_choices": selectors.NEEDS,
            "statuses": TeachingSession.Status,
        }

    body = remember_html(
        request,
        "sessions_committee_list",
        page_parts(request),
        "sessions_app/_committee_list_body.html",
        context,
    )
    return render(request, "sessions_app/committee_list.html", {"body": _with_places(body)})


_PLACES = re.compile(r"<!--(places|waiting):(\d+)-->")


def _with_places(html: str) -> str:
    """The places of each listed session, counted per request (one query): the remembered list
    reads no booking, so students booking all day long do not throw it away."""
    counts = booking_selectors.places(list({int(pk) for _, pk in _PLACES.findall(html)}))

    def fill(match: re.Match) -> str:
        taken, waiting = counts.get(int(match.group(2)), (0, 0))
        if match.group(1) == "places":
            return str(taken)
        return f" (+{waiting} waiting)" if waiting else ""

    return mark_safe(_PLACES.sub(fill, html))  # what it adds: digits and fixed text


def _save(request, form: SessionForm, previous: dict | None):
    """Hand the form's values to the service; a refusal lands next to its field. Returns
    False, True (saved), or the held change that emails several people (to preview)."""
    data = form.cleaned_data
    ok, saved = attempt(
        request,
        scheduling.save_session,
        form.save(commit=False),
        tutors=list(data["tutors"]),
        target_years=list(data["target_years"]),
        previous=previous,
        new_series=data["new_series"],
        new_series_bookable=data["new_series_bookable"],
        actor=request.user,
        form=form,
    )
    return saved if isinstance(saved, SessionChange) else ok


@committee_required
def session_create(request):
    if request.method != "POST":
        return _form_page(request, None, None)
    form = SessionForm(request.POST)
    if request.method == "POST" and form.is_valid() and _save(request, form, None):
        session = form.instance
        messages.success(request, "Draft saved. Publish it when it is ready for booking.")
        if not form.cleaned_data["tutors"] and session.tutors.exists():
            messages.info(request, "Tutors filled in from the published allocation for the topic.")
        return redirect("sessions_app:committee_edit", pk=session.pk)
    return _form_page(request, form, None)


@committee_required
def session_edit(request, pk: int):
    session = get_object_or_404(TeachingSession.objects.only("pk", "title"), pk=pk)
    if request.method != "POST":
        return _form_page(request, None, session)
    session = get_object_or_404(TeachingSession, pk=pk)
    previous = {f: getattr(session, f) for f in (*NOTIFY_FIELDS, "capacity")}
    form = SessionForm(request.POST or None, instance=session)
    saved = request.method == "POST" and form.is_valid() and _save(request, form, previous)
    if isinstance(saved, SessionChange):
        # several people would be emailed: they go through the preview (who, what, undo)
        return redirect(
            "committee_mailing_new", action="sessions.change_session", target_id=saved.pk
        )
    if saved:
        messages.success(request, "Session saved.")
        return redirect("sessions_app:committee_edit", pk=pk)
    return _form_page(request, form, session)


def _with_people():
    return TeachingSession.objects.prefetch_related(
        Prefetch("tutors", queryset=User.objects.only(*User.DISPLAY_FIELDS)), "target_years"
    )


def _form_page(request, form: SessionForm | None, session: TeachingSession | None):
    """The session form: as sent when it came back with errors, else the saved session's
    values and clashes, remembered until anything behind them is written."""
    pk = session.pk if session else None

    def context() -> dict:
        if form is not None:
            return {"form": form, "session": session, "clashes": form.clashes}
        # read again while remembering: any edit of the session drops the page; its tutors and
        # years once, for the form's values and its clashes alike
        here = get_object_or_404(_with_people(), pk=pk) if pk else None
        fresh = SessionForm(instance=here)
        clashes = scheduling.clashes_for(here) if here else fresh.clashes
        return {"form": fresh, "session": here, "clashes": clashes}

    body = remember_html(
        request,
        "sessions_committee_form",
        page_parts(request, pk),
        "sessions_app/_committee_form_body.html",
        context,
    )
    return render(request, "sessions_app/committee_form.html", {"session": session, "body": body})


@require_POST
@committee_required
def session_duplicate(request, pk: int):
    copy = scheduling.duplicate(get_object_or_404(TeachingSession, pk=pk))
    messages.success(request, "Copied as a draft one week later. Check the details and publish.")
    return redirect("sessions_app:committee_edit", pk=copy.pk)


@require_POST
@committee_required
def session_publish(request, pk: int):
    ok, _ = attempt(request, scheduling.publish, get_object_or_404(TeachingSession, pk=pk))
    if ok:
        messages.success(request, "Published: members can now find and book it.")
    return redirect("sessions_app:committee_edit", pk=pk)


@committee_required
def session_cancel(request, pk: int):
    session = get_object_or_404(selectors.with_places(TeachingSession.objects), pk=pk)
    form = CancelSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if session.n_taken or session.n_waiting:
            # people hold places: they are emailed, so it goes through the preview
            return redirect(
                "committee_mailing_new", action="sessions.cancel_session", target_id=session.pk
            )
        ok, _ = attempt(request, scheduling.cancel_session, session)
        if ok:
            messages.success(request, "Session cancelled; nobody was booked, so nobody emailed.")
            return redirect("sessions_app:committee_list")
    return render(request, "sessions_app/committee_cancel.html", {"form": form, "session": session})


@committee_required
def sessions_from_allocation(request):
    rounds = RecruitmentRound.objects.filter(allocation_runs__is_published=True).distinct()
    if request.method == "POST":
        round_ = get_object_or_404(rounds, pk=parse_id(request.POST.get("round")))
        first_day = parse_date(request.POST.get("first_day"))
        if first_day is None:
            messages.error(request, "Give the first teaching day as a date.")
        else:
            ok, created = attempt(
                request, create_sessions_for_allocation, round_, first_day=first_day
            )
            if ok:
                messages.success(
                    request,
                    f"{len(created)} draft sessions created; set times and venues, "
                    "then publish them.",
                )
                return redirect("sessions_app:committee_list")
    return render(request, "sessions_app/committee_from_allocation.html", {"rounds": rounds})
