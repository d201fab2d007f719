"""Committee pages for recruitment: rounds, review, interviews, decisions, roster."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from meded.errors import attempt
from meded.exports import csv_response
from meded.parsing import parse_id
from meded.remember import page_parts, remember_html
from meded.roles import COMMITTEE_GROUP, committee_required
from tutors.committee import review_progress, round_timeline
from tutors.models import (
    Answer,
    Application,
    ApplicationStatus,
    InterviewSlot,
    RecruitmentRound,
    RoundState,
)
from tutors.recruitment import selectors
from tutors.recruitment.forms import (
    CriterionForm,
    DecisionForm,
    QuestionForm,
    RoundForm,
    SlotForm,
)
from tutors.recruitment.roster_html import rows_html
from tutors.recruitment.services import recruitment as rounds_service
from tutors.recruitment.services.decisions import record_decisions, unreleased
from tutors.recruitment.services.interviews import create_slot, delete_slot
from tutors.recruitment.services.recruitment import TRANSITIONS, change_state
from tutors.recruitment.services.reviewing import choose_for_interview, invitations_waiting
from tutors.recruitment.views import review_panel

PAGE_SIZE = 25


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
        ok, round = attempt(
            request, rounds_service.save_round, request.user, form.cleaned_data, instance, form=form
        )
        if ok:
            messages.success(request, f"Round “{round.name}” saved.")
            return redirect("tutors_committee_round", pk=round.pk)
    return render(request, "tutors/committee/round_form.html", {"form": form, "round": instance})


@committee_required
def round_detail(request, pk):
    round = _round(pk)

    def context() -> dict:
        round = _round(pk)  # read while remembering: an edit of the round drops the fragment
        return {
            "round": round,
            "counts": selectors.rounds_with_counts().get(pk=pk),
            "next_states": [RoundState(s) for s in TRANSITIONS[round.state]],
            "questions": round.questions.all(),
            "criteria": round.criteria.all(),
            "question_form": QuestionForm(),
            "criterion_form": CriterionForm(),
            "n_unreleased": unreleased(round).count(),
            "timeline": round_timeline(round, request.user),
        }

    body = remember_html(
        request,
        "tutors_committee_round",
        page_parts(request, pk),
        "tutors/committee/_round_detail_body.html",
        context,
    )
    return render(request, "tutors/committee/round_detail.html", {"round": round, "body": body})


@committee_required
@require_POST
def round_state(request, pk):
    ok, round = attempt(
        request, change_state, request.user, _round(pk), request.POST.get("state", "")
    )
    if ok:
        messages.success(request, f"The round is now “{round.get_state_display()}”.")
    return redirect("tutors_committee_round", pk=pk)


@committee_required
@require_POST
def round_setup(request, pk):
    """Add a question or a rubric criterion, or remove one (the rules are in the service)."""
    round = _round(pk)
    what = request.POST.get("what")
    if what == "delete_question":
        attempt(
            request,
            rounds_service.remove_question,
            request.user,
            round,
            parse_id(request.POST.get("id")),
        )
        return redirect("tutors_committee_round", pk=pk)
    if what == "delete_criterion":
        attempt(
            request,
            rounds_service.remove_criterion,
            request.user,
            round,
            parse_id(request.POST.get("id")),
        )
        return redirect("tutors_committee_round", pk=pk)
    question = what == "question"
    form = (QuestionForm if question else CriterionForm)(request.POST)
    if form.is_valid():
        add = rounds_service.add_question if question else rounds_service.add_criterion
        ok, _ = attempt(request, add, request.user, round, form.cleaned_data)
        if ok:
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
    if request.GET.get("format") == "csv":
        qs = selectors.review_list(round, request.user, blind=round.blind_review, **filters)
        header, rows = selectors.applications_table(round, qs)
        return csv_response(f"applications-round-{round.pk}.csv", header, rows)
    sort_query = request.GET.copy()
    sort_query.pop("sort", None)
    sort_query.pop("page", None)
    sort_query = sort_query.urlencode()

    def context() -> dict:
        round = _round(pk)  # read while remembering: an edit of the round drops the fragment
        qs = selectors.review_list(round, request.user, blind=round.blind_review, **filters)
        return {
            "round": round,
            "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
            "filters": filters,
            "blind": round.blind_review,
            "statuses": ApplicationStatus.choices,
            "years": Application._meta.get_field("year_of_study").choices,
            "sort_query": sort_query,
            "sort_links": _sort_links(filters["sort"], sort_query),
            "decision_form": DecisionForm(),
            "n_unreleased": unreleased(round).count(),
            "n_invitations": invitations_waiting(round).count(),
            "list_query": _list_query(request),
            **_progress(round, request.user),
        }

    body = remember_html(
        request,
        "tutors_committee_applications",
        page_parts(request, round.pk),
        "tutors/committee/_applications_body.html",
        context,
    )
    return render(request, "tutors/committee/applications.html", {"round": round, "body": body})


def _list_query(request) -> str:
    """The list's filters and sort, carried to an application and back (never the page)."""
    query = request.GET.copy()
    for key in ("page", "format"):
        query.pop(key, None)
    return query.urlencode()


def _progress(round, user) -> dict:
    done, total = review_progress(round, user)
    return {"progress": (done, total), "progress_left": total - done}


def _neighbours(request, round, app_pk: int) -> dict:
    """Previous and next application in the list the reviewer came from (same filters)."""
    ids = list(
        selectors.review_list(
            round, request.user, blind=round.blind_review, **_filters(request)
        ).values_list("pk", flat=True)
    )
    if app_pk not in ids:
        return {"list_query": _list_query(request)}
    at = ids.index(app_pk)
    return {
        "prev_pk": ids[at - 1] if at > 0 else None,
        "next_pk": ids[at + 1] if at + 1 < len(ids) else None,
        "position": at + 1,
        "list_count": len(ids),
        "list_query": _list_query(request),
    }


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
    if not apps:
        messages.error(request, "Select at least one application.")
    elif action == "shortlist":
        ok, n = attempt(request, choose_for_interview, request.user, apps)
        if ok and n:
            # several people are emailed: they go through the preview (who, what, undo)
            return redirect(
                "committee_mailing_new", action="tutors.invite_to_interview", target_id=round.pk
            )
        if ok:
            messages.error(request, "None of these applications is waiting for an interview.")
    else:
        form = DecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose a decision.")
        else:
            d = form.cleaned_data
            ok, n = attempt(
                request,
                record_decisions,
                request.user,
                apps,
                d["decision"],
                d["message"],
                d["feedback_note"],
                reason=d["reason"],
            )
            if ok:
                messages.success(
                    request, f"Decision recorded for {n} application(s). Release to send."
                )
    return redirect(request.get_full_path())


@committee_required
def application_detail(request, pk, app_pk):
    round = _round(pk)
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {}
    if not action:  # the page itself is remembered below: here only whether it exists
        app = get_object_or_404(Application.objects.only("pk"), round=round, pk=app_pk)
    else:
        try:
            app = selectors.application_detail(round, app_pk)
        except Application.DoesNotExist:
            raise Http404 from None
        forms = review_panel.forms_for(app, request.user, request.POST, action)
        ok, done = attempt(
            request, review_panel.act, request.user, app, action, forms, request.POST
        )
        if ok and done:
            messages.success(request, done)
            return redirect(request.get_full_path())

    def context() -> dict:
        # read again while remembering: a review, score or decision drops the fragment
        round = _round(pk)
        app = selectors.application_detail(round, app_pk)
        panel = forms or review_panel.forms_for(app, request.user, request.POST, None)
        context = review_panel.context(app, request.user)
        context.update(_neighbours(request, round, app.pk), **_progress(round, request.user))
        return {**context, **panel}

    body = remember_html(
        request,
        "tutors_committee_application",
        page_parts(request, pk, app_pk),
        "tutors/committee/_application_detail_body.html",
        context,
    )
    return render(request, "tutors/committee/application_detail.html", {"app": app, "body": body})


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
            slot = get_object_or_404(
                InterviewSlot, pk=parse_id(request.POST["delete"]), round=round
            )
            ok, _ = attempt(request, delete_slot, request.user, slot)
            if ok:
                messages.success(request, "Slot removed.")
            return redirect("tutors_committee_slots", pk=pk)
        if form.is_valid():
            ok, _ = attempt(request, create_slot, request.user, round, **form.cleaned_data)
            if ok:
                messages.success(request, "Slot published.")
                return redirect("tutors_committee_slots", pk=pk)
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
    """Releasing emails every applicant: it goes through the preview, never in one click."""
    round = _round(pk)
    return redirect("committee_mailing_new", action="tutors.release_decisions", target_id=round.pk)


@committee_required
def roster(request, pk=None):
    round = _round(pk) if pk else None
    if request.GET.get("format") == "csv":
        slug = f"round-{round.pk}" if round else "all-rounds"
        header, rows = selectors.roster_table(selectors.roster(round))
        return csv_response(f"tutor-roster-{slug}.csv", header, rows)

    def context() -> dict:
        here = _round(pk) if pk else None  # read while remembering
        found = selectors.roster(here)
        return {
            "round": here,
            "rows": found.rows,
            "rows_html": rows_html(found.rows, show_round=here is None),
            "columns": found.columns,
        }

    body = remember_html(
        request,
        "tutors_committee_roster",
        page_parts(request, pk),
        "tutors/committee/_roster_body.html",
        context,
    )
    return render(request, "tutors/committee/roster.html", {"round": round, "body": body})
