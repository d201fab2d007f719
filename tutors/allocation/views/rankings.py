"""The tutor's ranking page, and the committee's rankings overview, import and export."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from meded.errors import DomainError
from meded.exports import csv_response
from meded.models import Module, Year
from meded.remember import member_key, minute, page_parts, remember_html
from meded.roles import committee_required, tutor_required
from tutors.allocation import selectors as sel
from tutors.allocation.csv import RANKINGS_HEADER
from tutors.allocation.forms import (
    RankingsImportForm,
    apply_ranking_action,
    focus_after,
    parse_items,
)
from tutors.allocation.services.ranking import (
    import_rankings_csv,
    is_round_tutor,
    save_ranking,
    window_is_open,
)
from tutors.models import RecruitmentRound

PAGE, BODY = "tutors/ranking_page.html", "tutors/_ranking_body.html"


@tutor_required
def my_ranking(request):
    """Rank topics: every button posts the whole draft, so it all works without JavaScript.

    A plain visit shows the saved ranking: its HTML is remembered for the member, the filters
    and the minute (the window opens and closes with the clock)."""
    if request.method == "POST":
        ctx = _ranking_context(request)
        return ctx if isinstance(ctx, HttpResponse) else render(request, PAGE, ctx)
    parts = (*member_key(request.user), request.GET.urlencode(), minute())
    body = remember_html(request, "tutors-ranking", parts, BODY, lambda: _ranking_context(request))
    return render(request, PAGE, {"body": body})


def _ranking_context(request) -> dict | HttpResponse:
    round = sel.ranking_round_for(request.user)
    src = request.POST if request.method == "POST" else request.GET
    filters = {k: src.get(k, "").strip() for k in ("q", "module", "year")}
    ctx = {"round": round, "filters": filters, "errors": [], "dirty": False}
    action = ""
    if round is None:
        ctx["published"] = sel.published_for_tutor(request.user)
        return ctx
    editable = window_is_open(round) and is_round_tutor(round, request.user)
    saved = sel.ranked_ids(round, request.user)
    items = saved
    if request.method == "POST" and editable:
        items = parse_items(request.POST.getlist("item"))
        action = request.POST.get("action", "")
        if action == "save":
            try:
                save_ranking(request.user, round, items)
            except DomainError as exc:  # the page lists every reason next to the list
                ctx["errors"] = getattr(exc, "errors", [str(exc)])
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
    return ctx


def _round(round_id: int) -> RecruitmentRound:
    return get_object_or_404(RecruitmentRound, pk=round_id)


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
        except DomainError as exc:  # every bad line is listed on the page, not flashed
            import_errors = [str(e) for e in getattr(exc, "errors", [exc])]
        else:
            messages.success(
                request, f"Imported {result.rows} rankings for {result.tutors} tutor(s)."
            )
            for w in result.warnings:
                messages.warning(request, w)
            return redirect("tutors_round_rankings", round_id=round.pk)

    def context() -> dict:
        here = _round(round_id)  # read while remembering: an edit of the round drops the page
        subs = sel.submissions(here)
        return {
            "round": here,
            "submissions": subs,
            "submitted": sum(1 for s in subs if s.ranked),
            "demand": sel.demand(here),
            "form": form if form.is_bound else RankingsImportForm(),
            "import_errors": import_errors,
            "modules": Module.objects.all(),
            "years": Year.objects.all(),
        }

    body = remember_html(
        request,
        "tutors_round_rankings",
        page_parts(request, round_id),
        "tutors/_ranking_overview_body.html",
        context,
    )
    return render(request, "tutors/ranking_overview.html", {"round": round, "body": body})


@committee_required
def rankings_export(request, round_id: int):
    round = _round(round_id)
    return csv_response(f"rankings-round-{round.pk}.csv", RANKINGS_HEADER, sel.rankings_rows(round))
