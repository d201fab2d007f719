"""Mock OSCE pages: the stations (committee and question reviewers write them), an examiner's
phone mark sheet, a session's marks as CSV, a candidate's released sheets."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from meded.errors import attempt
from meded.exports import csv_response
from meded.parsing import parse_ids, parse_int
from meded.roles import committee_required, is_committee, member_required
from sessions_app.questions import osce, selectors
from sessions_app.questions.mailings import SHEETS
from sessions_app.questions.models import OsceSheet, OsceStation
from sessions_app.questions.osce_forms import checklist_items, station_forms
from sessions_app.questions.views.listing import remembered_page
from sessions_app.scheduling.models import TeachingSession


def _writer(request) -> None:
    if not osce.can_write_station(request.user):
        raise PermissionDenied("The committee and question reviewers write OSCE stations.")


@member_required
def stations(request):
    """Every station; the committee also releases sheets and downloads marks from here."""
    _writer(request)
    committee = is_committee(request.user)
    listing = remembered_page(
        request,
        "osce_stations",
        (committee,),
        "sessions_app/questions/_osce_stations_list.html",
        selectors.osce_stations,
        is_committee=committee,
        release_action=SHEETS,
    )
    return render(request, "sessions_app/questions/osce_stations.html", {"listing": listing})


@member_required
def station_edit(request, pk: int | None = None):
    """Write a station or change one: details, checklist rows and the rating scale."""
    _writer(request)
    station = get_object_or_404(OsceStation, pk=pk) if pk is not None else None
    data = request.POST if request.method == "POST" else None
    form, checklist = station_forms(data, station)
    if data is not None and "more" not in data and form.is_valid() and checklist.is_valid():
        ok, saved = attempt(
            request,
            osce.save_station,
            request.user,
            station,
            title=form.cleaned_data["title"],
            scenario=form.cleaned_data["scenario"],
            session=form.cleaned_data["session"],
            items=checklist_items(checklist),
            rating_scale=form.scale(),
            form=form,
        )
        if ok:
            messages.success(request, f"Station “{saved.title}” saved.")
            return redirect("sessions_app:osce_station_edit", saved.pk)
    return render(
        request,
        "sessions_app/questions/osce_station_form.html",
        {"form": form, "checklist": checklist, "station": station},
    )


@committee_required
def marks_csv(request, session_pk: int):
    """Every examiner's marks at every station of one session, a row per candidate and station."""
    session = get_object_or_404(TeachingSession, pk=session_pk)
    return csv_response(
        f"osce-marks-session-{session.pk}.csv",
        selectors.OSCE_MARKS_HEADER,
        selectors.osce_marks_rows(session),
    )


@member_required
def mark(request, pk: int):
    station = get_object_or_404(OsceStation.objects.select_related("session"), pk=pk)
    if not osce.can_examine(request.user, station):
        raise PermissionDenied("Only this session's tutors and the committee examine.")
    people = osce.candidates(station)
    chosen = request.POST.get("candidate") or request.GET.get("candidate") or ""
    candidate = next((p for p in people if str(p.pk) == chosen), None)
    if request.method == "POST":
        if candidate is None:
            raise Http404("No such candidate on this session.")
        ticked = parse_ids(request.POST.getlist("item"))
        rating = request.POST.get("global_rating", "")
        ok, _ = attempt(
            request,
            osce.mark,
            request.user,
            station,
            candidate,
            ticked,
            parse_int(rating) or 0,
            request.POST.get("comments", ""),
        )
        if ok:
            messages.success(request, f"Marks saved for {candidate.get_full_name()}.")
        return redirect(f"{request.path}?candidate={candidate.pk}")
    sheet = (
        OsceSheet.objects.filter(station=station, candidate=candidate).first()
        if candidate
        else None
    )
    return render(
        request,
        "sessions_app/questions/osce_mark.html",
        {
            "station": station,
            "items": list(station.items.all()),
            "people": people,
            "candidate": candidate,
            "sheet": sheet,
            "ratings": station.ratings,
            "ticked": set(sheet.ticked.values_list("pk", flat=True)) if sheet else set(),
            "marked": set(
                OsceSheet.objects.filter(station=station).values_list("candidate_id", flat=True)
            ),
        },
    )


@member_required
def my_sheets(request):
    user = request.user
    listing = remembered_page(
        request,
        "osce_sheets",
        (user.pk,),
        "sessions_app/questions/_osce_sheets_list.html",
        lambda: selectors.released_osce_sheet_rows(user),
        shape=selectors.sheets_with_marks,
    )
    return render(request, "sessions_app/questions/osce_sheets.html", {"listing": listing})
