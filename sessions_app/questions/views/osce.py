"""Mock OSCE pages: the committee's stations, an examiner's phone mark sheet, a candidate's
released sheets."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from meded.errors import attempt
from meded.parsing import parse_id, parse_ids, parse_int
from meded.roles import committee_required, member_required
from sessions_app.questions import osce
from sessions_app.questions.models import OsceSheet, OsceStation
from sessions_app.scheduling.models import TeachingSession


class StationForm(forms.Form):
    title = forms.CharField(max_length=200)
    scenario = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    session = forms.ModelChoiceField(
        queryset=TeachingSession.objects.filter(kind__in=osce.STATION_KINDS).exclude(
            status=TeachingSession.Status.CANCELLED
        )
    )
    checklist = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}), help_text="One marked item a line."
    )


@committee_required
def stations(request):
    form = StationForm(request.POST or None)
    if request.method == "POST" and request.POST.get("release"):
        station = get_object_or_404(OsceStation, pk=parse_id(request.POST["release"]))
        if attempt(request, osce.release, request.user, station)[0]:
            messages.success(request, f"Sheets for “{station.title}” released to candidates.")
        return redirect("sessions_app:osce_stations")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data, checklist=form.cleaned_data["checklist"].splitlines())
        if attempt(request, osce.create_station, request.user, **data, form=form)[0]:
            messages.success(request, "Station saved.")
            return redirect("sessions_app:osce_stations")
    listed = OsceStation.objects.select_related("session")[:100]
    return render(
        request, "sessions_app/questions/osce_stations.html", {"form": form, "stations": listed}
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
            "ratings": osce.RATINGS,
            "ticked": set(sheet.ticked.values_list("pk", flat=True)) if sheet else set(),
            "marked": set(
                OsceSheet.objects.filter(station=station).values_list("candidate_id", flat=True)
            ),
        },
    )


@member_required
def my_sheets(request):
    sheets = (
        OsceSheet.objects.filter(candidate=request.user, station__released_at__isnull=False)
        .select_related("station", "examiner")
        .prefetch_related("station__items", "ticked")
    )
    return render(request, "sessions_app/questions/osce_sheets.html", {"sheets": sheets})
