"""Tutor ranking page, and the committee's offerings and rankings pages."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from meded.models import Module, Year
from meded.roles import committee_required, tutor_required
from tutors import selectors_allocation as sel
from tutors.allocation_csv import AllocationInputError
from tutors.forms_allocation import (
    BulkOfferingsForm,
    OfferingForm,
    RankingsImportForm,
    apply_ranking_action,
    focus_after,
    parse_items,
)
from tutors.models import Offering, RecruitmentRound
from tutors.services import offerings as offering_service
from tutors.services.ranking import (
    RankingError,
    import_rankings_csv,
    is_round_tutor,
    save_ranking,
    window_is_open,
)


@tutor_required
def my_ranking(request):
    """Rank topics: every button posts the whole draft, so it all works without JavaScript."""
    round = sel.ranking_round_for(request.user)
    src = request.POST if request.method == "POST" else request.GET
    filters = {k: src.get(k, "").strip() for k in ("q", "module", "year")}
    ctx = {"round": round, "filters": filters, "errors": [], "dirty": False}
    action = ""
    if round is None:
        ctx["published"] = sel.published_for_tutor(request.user)
        return render(request, "tutors/ranking_page.html", ctx)
    editable = window_is_open(round) and is_round_tutor(round, request.user)
    saved = [r.offering_id for r in sel.tutor_ranking(round, request.user)]
    items = saved
    if request.method == "POST" and editable:
        items = parse_items(request.POST.getlist("item"))
        action = request.POST.get("action", "")
        if action == "save":
            try:
                save_ranking(request.user, round, items)
            except RankingError as exc:
                ctx["errors"] = exc.errors
            else:
                messages.success(request, f"Your ranking of {len(items)} topics is saved.")
                return redirect("tutors_rankings")
        elif action != "filter":
            items, _ = apply_ranking_action(items, action)
        ctx["dirty"] = items != saved
    elif request.method == "POST":
        ctx["errors"] = ["The ranking window is closed; your ranking was not changed."]
    ctx.update(sel.ranking_page_context(round, request.user, items, filters, editable))
    addable = [a["offering"].pk for a in ctx["available"] if not a["reason"]]
    ctx["focus"] = focus_after(action, items, addable)
    return render(request, "tutors/ranking_page.html", ctx)


def _round(round_id: int) -> RecruitmentRound:
    return get_object_or_404(RecruitmentRound, pk=round_id)


@committee_required
def offerings(request, round_id: int):
    round = _round(round_id)
    form = BulkOfferingsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created, skipped = offering_service.create_from_curriculum(round, **form.cleaned_data)
        except offering_service.OfferingError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"{created} offering(s) created; {skipped} already offered (unchanged)."
            )
            return redirect("tutors_offerings", round_id=round.pk)
    rows = list(sel.offerings_for(round))
    ctx = {"round": round, "form": form, "offerings": rows, "formats": Offering.Format.choices}
    return render(request, "tutors/offerings_list.html", ctx)


@committee_required
@require_POST
def offering_edit(request, round_id: int, pk: int):
    offering = get_object_or_404(Offering, pk=pk, round_id=round_id)
    if request.POST.get("delete"):
        action = lambda: offering_service.delete_offering(offering)  # noqa: E731
        done = f"{offering.topic.code} removed."
    else:
        form = OfferingForm(request.POST, instance=Offering.objects.get(pk=offering.pk))
        if not form.is_valid():
            problems = [e for errors in form.errors.values() for e in errors]
            messages.error(request, f"{offering.topic.code} not changed: {' '.join(problems)}")
            return redirect("tutors_offerings", round_id=round_id)
        action = lambda: offering_service.update_offering(offering, **form.cleaned_data)  # noqa: E731
        done = f"{offering.topic.code} updated."
    try:
        action()
    except offering_service.OfferingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("tutors_offerings", round_id=round_id)


@committee_required
def round_rankings(request, round_id: int):
    """Who has submitted, the demand per offering, and the CSV import."""
    round = _round(round_id)
    form = RankingsImportForm(request.POST or None, request.FILES or None)
    import_errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = upload.read().decode("utf-8-sig")
            result = import_rankings_csv(round, text, upload.name)
        except UnicodeDecodeError:
            import_errors = [f"{upload.name}: not UTF-8 text. Save the file as CSV (UTF-8)."]
        except AllocationInputError as exc:
            import_errors = [str(e) for e in exc.errors]
        else:
            messages.success(
                request, f"Imported {result.rows} rankings for {result.tutors} tutor(s)."
            )
            for w in result.warnings:
                messages.warning(request, w)
            return redirect("tutors_round_rankings", round_id=round.pk)
    subs = sel.submissions(round)
    ctx = {
        "round": round,
        "submissions": subs,
        "submitted": sum(1 for s in subs if s.ranked),
        "demand": sel.demand(round),
        "form": form,
        "import_errors": import_errors,
        "modules": Module.objects.all(),
        "years": Year.objects.all(),
    }
    return render(request, "tutors/ranking_overview.html", ctx)


@committee_required
def rankings_export(request, round_id: int):
    round = _round(round_id)
    response = HttpResponse(sel.rankings_csv(round), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rankings-round-{round.pk}.csv"'
    return response
