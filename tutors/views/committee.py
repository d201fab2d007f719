"""Committee pages for recruitment: rounds, review, interviews, decisions, roster."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from meded.roles import COMMITTEE_GROUP, committee_required
from tutors import selectors
from tutors.forms import (
    CriterionForm,
    DecisionForm,
    QuestionForm,
    RoundForm,
    SlotForm,
)
from tutors.models import (
    Answer,
    Application,
    ApplicationStatus,
    InterviewSlot,
    Question,
    RecruitmentRound,
    RoundState,
    RubricCriterion,
)
from tutors.services import RecruitmentError
from tutors.services.decisions import record_decisions, release_decisions, unreleased
from tutors.services.interviews import create_slot, delete_slot
from tutors.services.recruitment import TRANSITIONS, add_default_rubric, change_state
from tutors.services.reviewing import shortlist
from tutors.views import review_panel

PAGE_SIZE = 50


def _round(pk) -> RecruitmentRound:
    return get_object_or_404(RecruitmentRound, pk=pk)


def _committee_members():
    return get_user_model().objects.filter(groups__name=COMMITTEE_GROUP).order_by("full_name")


@committee_required
def rounds(request):
    return render(
        request, "tutors/committee/rounds.html", {"rounds": selectors.rounds_with_counts()}
    )


@committee_required
def round_form(request, pk=None):
    instance = _round(pk) if pk else None
    form = RoundForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        round = form.save()
        if instance is None:
            add_default_rubric(round)
        messages.success(request, f"Round “{round.name}” saved.")
        return redirect("tutors_committee_round", pk=round.pk)
    return render(request, "tutors/committee/round_form.html", {"form": form, "round": instance})


@committee_required
def round_detail(request, pk):
    round = _round(pk)
    return render(
        request,
        "tutors/committee/round_detail.html",
        {
            "round": round,
            "counts": selectors.rounds_with_counts().get(pk=pk),
            "next_states": [RoundState(s) for s in TRANSITIONS[round.state]],
            "questions": round.questions.all(),
            "criteria": round.criteria.all(),
            "question_form": QuestionForm(),
            "criterion_form": CriterionForm(),
            "n_unreleased": unreleased(round).count(),
        },
    )


@committee_required
@require_POST
def round_state(request, pk):
    try:
        round = change_state(request.user, _round(pk), request.POST.get("state", ""))
        messages.success(request, f"The round is now “{round.get_state_display()}”.")
    except (RecruitmentError, ValueError) as e:
        messages.error(request, str(e))
    return redirect("tutors_committee_round", pk=pk)


@committee_required
@require_POST
def round_setup(request, pk):
    """Add a question or a rubric criterion, or delete one (questions only before opening)."""
    round = _round(pk)
    what = request.POST.get("what")
    if what == "delete_question":
        if round.state != RoundState.DRAFT:
            messages.error(request, "Questions can be removed only while the round is a draft.")
        else:
            Question.objects.filter(round=round, pk=request.POST.get("id")).delete()
        return redirect("tutors_committee_round", pk=pk)
    if what == "delete_criterion":
        RubricCriterion.objects.filter(round=round, pk=request.POST.get("id")).delete()
        return redirect("tutors_committee_round", pk=pk)
    form = (QuestionForm if what == "question" else CriterionForm)(request.POST)
    if form.is_valid():
        form.instance.round = round
        form.save()
        messages.success(request, "Added.")
    else:
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        messages.error(request, f"Not added: {errors}")
    return redirect("tutors_committee_round", pk=pk)


def _float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _filters(request) -> dict:
    g = request.GET
    return {
        "status": g.get("status", ""),
        "year": g.get("year", ""),
        "min_score": _float(g.get("min_score")),
        "scored_by_me": g.get("scored_by_me", ""),
        "sort": g.get("sort", "-submitted"),
        "q": g.get("q", "").strip(),
    }


@committee_required
def applications(request, pk):
    round = _round(pk)
    if request.method == "POST":
        return _bulk(request, round)
    filters = _filters(request)
    qs = selectors.review_list(round, request.user, blind=round.blind_review, **filters)
    if request.GET.get("format") == "csv":
        return _applications_csv(round, qs)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    sort_query = request.GET.copy()
    sort_query.pop("sort", None)
    sort_query.pop("page", None)
    sort_query = sort_query.urlencode()
    return render(
        request,
        "tutors/committee/applications.html",
        {
            "round": round,
            "page": page,
            "filters": filters,
            "blind": round.blind_review,
            "statuses": ApplicationStatus.choices,
            "years": Application._meta.get_field("year_of_study").choices,
            "sort_query": sort_query,
            "sort_links": _sort_links(filters["sort"], sort_query),
            "decision_form": DecisionForm(),
            "n_unreleased": unreleased(round).count(),
        },
    )


# Sortable columns of the review list and the direction of their first click.
SORT_COLUMNS = {
    "name": "",
    "year": "",
    "status": "",
    "score": "-",
    "interview": "-",
    "submitted": "",
}


def _sort_links(current: str, query: str) -> dict[str, dict[str, str]]:
    """Per column: the link that sorts by it (a second click flips it) and its aria-sort."""
    prefix = f"?{query}&sort=" if query else "?sort="
    links = {}
    for key, first in SORT_COLUMNS.items():
        if current == key:
            target, state = f"-{key}", "ascending"
        elif current == f"-{key}":
            target, state = key, "descending"
        else:
            target, state = f"{first}{key}", ""
        links[key] = {"url": prefix + target, "state": state}
    return links


def _bulk(request, round):
    if request.POST.get("all_matching"):
        filters = _filters(request)
        apps = list(selectors.review_list(round, request.user, blind=round.blind_review, **filters))
    else:
        ids = request.POST.getlist("ids")
        apps = list(Application.objects.filter(round=round, pk__in=ids))
    action = request.POST.get("action")
    try:
        if not apps:
            raise RecruitmentError("Select at least one application.")
        if action == "shortlist":
            n = shortlist(request.user, apps)
            messages.success(request, f"{n} applicant(s) invited to interview.")
        else:
            form = DecisionForm(request.POST)
            if not form.is_valid():
                raise RecruitmentError("Choose a decision.")
            d = form.cleaned_data
            n = record_decisions(
                request.user, apps, d["decision"], d["message"], d["feedback_note"]
            )
            messages.success(request, f"Decision recorded for {n} application(s). Release to send.")
    except RecruitmentError as e:
        messages.error(request, str(e))
    return redirect(request.get_full_path())


@committee_required
def application_detail(request, pk, app_pk):
    round = _round(pk)
    try:
        app = selectors.application_detail(round, app_pk)
    except Application.DoesNotExist:
        raise Http404 from None
    action = request.POST.get("action") if request.method == "POST" else None
    forms = review_panel.forms_for(app, request.user, request.POST, action)
    if action:
        try:
            done = review_panel.act(request.user, app, action, forms, request.POST)
        except RecruitmentError as e:
            messages.error(request, str(e))
        else:
            if done:
                messages.success(request, done)
                return redirect(request.path)
    context = review_panel.context(app, request.user)
    return render(request, "tutors/committee/application_detail.html", {**context, **forms})


@committee_required
def answer_file(request, pk, answer_pk):
    """Private file download: committee only, never a public URL."""
    answer = get_object_or_404(
        Answer.objects.select_related("application"), pk=answer_pk, application__round_id=pk
    )
    if not answer.file:
        raise Http404
    blind = answer.application.round.blind_review
    name = (
        f"{answer.application.reference}-{answer.question_id}.{answer.file.name.rsplit('.', 1)[-1]}"
        if blind
        else answer.file_name
    )
    return FileResponse(answer.file.open("rb"), as_attachment=True, filename=name)


@committee_required
def slots(request, pk):
    round = _round(pk)
    form = SlotForm(request.POST or None, interviewer_choices=_committee_members())
    if request.method == "POST":
        if "delete" in request.POST:
            try:
                delete_slot(
                    request.user,
                    get_object_or_404(InterviewSlot, pk=request.POST["delete"], round=round),
                )
                messages.success(request, "Slot removed.")
            except RecruitmentError as e:
                messages.error(request, str(e))
            return redirect("tutors_committee_slots", pk=pk)
        if form.is_valid():
            try:
                create_slot(request.user, round, **form.cleaned_data)
                messages.success(request, "Slot published.")
                return redirect("tutors_committee_slots", pk=pk)
            except RecruitmentError as e:
                messages.error(request, str(e))
    return render(
        request,
        "tutors/committee/slots.html",
        {
            "round": round,
            "form": form,
            "slots": selectors.slots_with_bookings(round),
            "blind": round.blind_review,
        },
    )


@committee_required
@require_POST
def release(request, pk):
    try:
        n = release_decisions(request.user, _round(pk))
        messages.success(request, f"{n} decision(s) released and emailed.")
    except RecruitmentError as e:
        messages.error(request, str(e))
    return redirect("tutors_committee_applications", pk=pk)


@committee_required
def roster(request, pk=None):
    round = _round(pk) if pk else None
    rows = selectors.roster(round)
    columns = selectors.ROSTER_COLUMNS
    if request.GET.get("format") == "csv":
        return _roster_csv(rows, columns, round)
    return render(
        request, "tutors/committee/roster.html", {"round": round, "rows": rows, "columns": columns}
    )


def _roster_csv(rows, columns, round):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    slug = f"round-{round.pk}" if round else "all-rounds"
    response["Content-Disposition"] = f'attachment; filename="tutor-roster-{slug}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "name",
            "email",
            "year_of_study",
            "round",
            "term",
            "accepted_at",
            "rounds_as_tutor",
            *[c[0] for c in columns],
        ]
    )
    for row in rows:
        a = row.application
        writer.writerow(
            [
                _safe(a.applicant.full_name),
                a.applicant.email,
                a.year_of_study,
                _safe(a.round.name),
                _safe(a.round.term),
                a.decision_released_at.date().isoformat() if a.decision_released_at else "",
                row.rounds_as_tutor,
                *[_safe(str(row.extra.get(c[0], ""))) for c in columns],
            ]
        )
    return response


def _applications_csv(round, qs):
    """The filtered review list as CSV (names only when the round is not blind)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="applications-round-{round.pk}.csv"'
    writer = csv.writer(response)
    people = [] if round.blind_review else ["name", "email"]
    writer.writerow(
        [
            "reference",
            *people,
            "year",
            "status",
            "mean",
            "range",
            "reviews",
            "my_score",
            "interview",
            "decision",
            "released",
        ]
    )
    for a in qs:
        who = [] if round.blind_review else [_safe(a.applicant.full_name), a.applicant.email]
        writer.writerow(
            [
                a.reference,
                *who,
                a.year_of_study,
                a.status,
                _num(a.visible_mean),
                _num(a.visible_spread),
                a.n_reviews,
                _num(a.my_score),
                _num(a.interview_mean),
                a.decision,
                "yes" if a.decision_released_at else "no",
            ]
        )
    return response


def _num(value) -> str:
    return "" if value is None else f"{value:.2f}"


def _safe(value: str) -> str:
    """Stop spreadsheet formula injection."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
