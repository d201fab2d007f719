"""The tutor's ranking page, and the committee's rankings overview, import and export."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe

from meded.errors import DomainError
from meded.exports import csv_response
from meded.fragment_memo import memo_render
from meded.models import Module, Year
from meded.remember import (
    CSRF_SENTINEL,
    member_key,
    minute,
    page_parts,
    remember,
    remember_html,
    with_csrf,
)
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
    html = remember("tutors-ranking", parts, lambda: _ranking_body(request))
    return render(request, PAGE, {"body": mark_safe(with_csrf(request, html))})


def _ranking_body(request) -> str:
    """The body of a plain visit, rendered once per process for what it shows (a write behind
    the page drops the remembered body, rarely what it shows): meded/fragment_memo.py."""
    ctx = {**_ranking_context(request), "csrf_token": CSRF_SENTINEL}
    return memo_render(BODY, _shown(ctx), ctx, request)


def _shown(ctx: dict) -> tuple:
    """Every value the body prints (tutors/_ranking_body.html and the offerings table)."""
    r = ctx["round"]
    published = tuple(
        (
            pub["run"].pk,
            pub["round"].name,
            tuple((*_offering_shown(p.offering), p.rank, p.locked) for p in pub["pairs"]),
            tuple(
                (e.code, e.offering and e.offering.topic.title, e.rank, e.message)
                for e in pub["explanations"]
            ),
        )
        for pub in ctx["published"]
    )
    head = (published, tuple(ctx["filters"].items()), tuple(ctx["errors"]), ctx["dirty"])
    if r is None:
        return head
    return (
        *head,
        (r.pk, r.name, r.min_rank, r.max_rank, r.max_topics_per_tutor),
        (r.ranking_opens, r.ranking_closes),
        ctx["editable"],
        ctx["opens_later"],
        tuple(_offering_shown(o) for o in ctx["draft"]),
        tuple((*_offering_shown(a["offering"]), a["rank"], a["reason"]) for a in ctx["available"]),
        tuple((m.slug, m.name) for m in ctx["modules"]),
        tuple((y.number, str(y)) for y in ctx["years"]),
        tuple(sorted(ctx["focus"].items())),
    )


def _offering_shown(o) -> tuple:
    t = o.topic
    return (o.pk, t.code, t.title, t.module.name, o.format, o.capacity)


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
    plain = request.method != "POST"  # rendered only: the offerings as plain rows
    ctx.update(sel.ranking_page_context(round, request.user, items, filters, editable, plain=plain))
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
