"""Committee allocation page: run, compare, override, publish, export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from meded.errors import attempt
from meded.exports import csv_response
from meded.parsing import parse_id
from meded.remember import page_parts, remember_html
from meded.roles import committee_required
from tutors.allocation import selectors as sel
from tutors.allocation.csv import RESULT_HEADER
from tutors.allocation.engine import OBJECTIVES
from tutors.allocation.forms import OverrideForm, RunForm
from tutors.allocation.services import runs as allocating
from tutors.models import AllocationRun, Offering, RecruitmentRound


def _page(round: RecruitmentRound, run_id: int | None = None) -> str:
    url = reverse("tutors_allocation", args=[round.pk])
    return f"{url}?run={run_id}#results" if run_id else url


@committee_required
def allocation(request, round_id: int):
    round = get_object_or_404(RecruitmentRound, pk=round_id)

    def context() -> dict:
        round = get_object_or_404(RecruitmentRound, pk=round_id)  # read while remembering
        runs = list(sel.runs_for(round))
        for r in runs:
            r.round = round  # the round just read: `run_is_current` reads it again otherwise
        # newest first, as `published_run` orders them: the published one without a query
        published = next((r for r in runs if r.is_published), None)
        chosen = request.GET.get("run", "")
        run = next((r for r in runs if str(r.pk) == chosen), None) or (
            published or (runs[0] if runs else None)
        )
        against = request.GET.get("against", "")
        other = next((r for r in runs if str(r.pk) == against and r != run), None)
        return {
            "round": round,
            "runs": runs,
            "run_comparison": sel.compare_runs(run, other) if run and other else None,
            "form": RunForm(),
            "objectives": OBJECTIVES,
            "overrides": list(sel.overrides_for(round)),
            "view": sel.run_view(run) if run else None,
            "can_change": round.state in allocating.RUNNABLE_STATES,
            "published": published,
            "ranking_open": timezone.now() < round.ranking_closes,
            "run_is_current": allocating.run_is_current(run) if run else False,
        }

    body = remember_html(
        request,
        "tutors_allocation",
        page_parts(request, round_id),
        "tutors/_allocation_page_body.html",
        context,
    )
    return render(request, "tutors/allocation_page.html", {"round": round, "body": body})


@committee_required
@require_POST
def run(request, round_id: int):
    round = get_object_or_404(RecruitmentRound, pk=round_id)
    form = RunForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose an objective.")
        return redirect(_page(round))
    ok, new = attempt(request, allocating.run_allocation, round, request.user, **form.cleaned_data)
    if not ok:
        return redirect(_page(round))
    messages.success(request, f"Run {new.pk} done in {new.duration_ms} ms (seed {new.seed}).")
    return redirect(_page(round, new.pk))


@committee_required
@require_POST
def override(request, round_id: int):
    round = get_object_or_404(RecruitmentRound, pk=round_id)
    form = OverrideForm(request.POST)
    back = request.POST.get("run", "")
    if form.is_valid():
        tutor = get_object_or_404(get_user_model(), pk=form.cleaned_data["tutor"])
        offering = get_object_or_404(Offering, pk=form.cleaned_data["offering"], round=round)
        kind = form.cleaned_data["kind"]
        change = None if kind == "clear" else kind
        ok, _ = attempt(
            request, allocating.set_override, round, request.user, tutor, offering, change
        )
        if ok:
            verb = {"lock": "locked", "forbid": "forbidden", "clear": "cleared"}[kind]
            messages.success(
                request, f"{tutor} and {offering.topic.code}: {verb}. Run again to apply it."
            )
    else:
        messages.error(request, "That override was not understood; nothing changed.")
    return redirect(_page(round, parse_id(back)))


@committee_required
@require_POST
def publish(request, round_id: int, run_id: int):
    """Publishing emails every tutor: it goes through the preview, never in one click."""
    chosen = get_object_or_404(AllocationRun, pk=run_id, round_id=round_id)
    if request.POST.get("close_ranking") == "yes":
        ok, closed = attempt(request, allocating.close_ranking_now, chosen.round)
        if not ok:
            return redirect(_page(chosen.round, chosen.pk))
        chosen.round = closed
    ok, _ = attempt(request, allocating.check_publishable, chosen, chosen.round)
    if not ok:
        return redirect(_page(chosen.round, chosen.pk))
    return redirect(
        "committee_mailing_new", action="tutors.publish_allocation", target_id=chosen.pk
    )


@committee_required
def export(request, round_id: int, run_id: int):
    chosen = get_object_or_404(AllocationRun, pk=run_id, round_id=round_id)
    filename = f"allocation-run-{chosen.pk}.csv"
    return csv_response(filename, RESULT_HEADER, allocating.export_rows(chosen))
