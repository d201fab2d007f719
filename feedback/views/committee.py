"""The committee's feedback pages: dashboard, review queue, export, survey report, observations."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from feedback.forms import FilterForm, ObservationForm
from feedback.selectors import tables
from feedback.selectors.aggregates import audience_counts, audience_key
from feedback.selectors.dashboards import CommitteeDashboard, committee_dashboard, with_audience
from feedback.selectors.reports import (
    COMMENT_HEADER,
    EXPORT_HEADER,
    comment_rows,
    export_rows,
    survey_header,
    survey_report,
    survey_rows,
)
from feedback.selectors.review import review_queue
from feedback.services.observations import can_observe, file_observation
from feedback.services.responses import review_text
from meded.errors import attempt
from meded.exports import csv_response
from meded.remember import page_parts, remember, remember_html
from meded.roles import committee_required, member_required
from sessions_app.models import TeachingSession
from sessions_app.scheduling.views.common import visible_session


def _dated(name: str) -> str:
    return f"{name}-{timezone.localdate()}.csv"


PAGE_SIZE = 25
FLAGS_PAGE = 10  # flagged sessions per page, newest first: a long history never lists whole


@committee_required
def dashboard(request):
    """Headline figures first, then flags, charts and the sortable, paginated tables.

    The whole body is remembered per filter set and minute (meded.remember), and so are the
    figures inside it (`_figures`), all but the audience: bookings are written all day at the
    start of term, so the audiences of the filtered sessions are counted afresh for each visit
    (one query) and key the body, never read inside it: a booking leaves the body as it was
    unless it changed an audience shown."""
    shown = remember(  # the ids alone: a hit costs little, and is dropped with the figures
        "feedback_committee_ids",
        page_parts(request),
        lambda: [r.session.pk for r in _figures(request).sessions],
    )
    audience = audience_counts(shown)
    body = remember_html(
        request,
        "feedback_committee",
        (*page_parts(request), audience_key(audience)),
        "feedback/_committee_body.html",
        lambda: _dashboard_context(request, audience),
    )
    return render(request, "feedback/committee.html", {"body": body})


def _figures(request) -> CommitteeDashboard:
    """The filtered figures without their audience (no booking read), remembered; read again
    inside the body's computation, so the body is dropped with them (a new response)."""
    return remember(
        "feedback_committee_figures",
        page_parts(request),
        lambda: committee_dashboard(_filter_form(request).filters(), rates=False),
    )


def _filter_form(request) -> FilterForm:
    """One filter form a request: the figures and the body both read it. Whatever its building
    reads stays tracked: by the figures that built it, and so by the body that reads them."""
    form = getattr(request, "_feedback_filter_form", None)
    if form is None:
        form = request._feedback_filter_form = FilterForm(request.GET)
    return form


def _dashboard_context(request, audience: dict[int, int]) -> dict:
    dash = _figures(request)
    form = _filter_form(request)
    with_audience(dash.sessions, audience)
    query = form.query()
    sort, desc = tables.parse_sort(request.GET.get("sort", ""), tables.SESSION_SORTS, "-date")
    tsort, tdesc = tables.parse_sort(request.GET.get("tsort", ""), tables.TUTOR_SORTS, "tutor")
    rows = tables.sort_rows(dash.sessions, tables.SESSION_SORTS, sort, desc)
    tutors = tables.sort_rows(dash.tutors, tables.TUTOR_SORTS, tsort, tdesc)
    keep = {**query, "sort": request.GET.get("sort", ""), "tsort": request.GET.get("tsort", "")}
    keep = {k: v for k, v in keep.items() if v or k == "round"}
    return {
        "form": form,
        "dash": dash,
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "tutor_page": Paginator(tutors, PAGE_SIZE).get_page(request.GET.get("tpage")),
        "flag_page": Paginator(
            sorted(dash.flagged, key=lambda r: (r.session.starts_at, r.session.pk), reverse=True),
            FLAGS_PAGE,
        ).get_page(request.GET.get("fpage")),
        "session_sort": tables.sort_links(keep, "sort", tables.SESSION_SORTS, sort, desc),
        "tutor_sort": tables.sort_links(keep, "tsort", tables.TUTOR_SORTS, tsort, tdesc),
        "query": urlencode(query),
        "keep": urlencode({k: v for k, v in keep.items()}),
        "min_responses": settings.MEDED_FEEDBACK_MIN_RESPONSES,
    }


@committee_required
def review(request):
    """A page of the queue at a time: the queue of a long-unreviewed history never renders whole."""

    def context() -> dict:
        page = Paginator(review_queue(), PAGE_SIZE).get_page(request.GET.get("page"))
        return {"page": page, "queue": page.object_list}

    parts = page_parts(request)
    body = remember_html(request, "feedback_review", parts, "feedback/_review_body.html", context)
    return render(request, "feedback/review.html", {"body": body})


@committee_required
@require_POST
def review_decide(request, answer_id):
    ok, _answer = attempt(
        request, review_text, request.user, answer_id, request.POST.get("decision", "")
    )
    if ok:
        messages.success(request, "Saved.")
    return redirect("feedback:review")


@committee_required
def export(request):
    filters = FilterForm(request.GET or None).filters()
    return csv_response(_dated("feedback-responses"), EXPORT_HEADER, export_rows(filters))


@committee_required
def comments(request):
    """Reviewed free text from released sessions, shuffled, nothing per row beyond the session."""
    filters = FilterForm(request.GET or None).filters()
    return csv_response(_dated("feedback-comments"), COMMENT_HEADER, comment_rows(filters))


@committee_required
def report(request):
    if request.GET.get("format") == "csv":
        data = survey_report(FilterForm(request.GET or None).filters())
        return csv_response(
            _dated("feedback-survey-report"), survey_header(data), survey_rows(data)
        )

    def context() -> dict:
        form = FilterForm(request.GET or None)
        data = survey_report(form.filters())
        return {"form": form, "report": data, "query": request.GET.urlencode()}

    parts = page_parts(request)
    body = remember_html(request, "feedback_report", parts, "feedback/_report_body.html", context)
    return render(request, "feedback/report.html", {"body": body})


@member_required
def observe(request, pk: int):
    session = visible_session(request, pk, TeachingSession.objects.prefetch_related("tutors"))
    if not can_observe(request.user, session):
        raise PermissionDenied("Only the committee or a senior tutor may observe a session.")
    form = ObservationForm(request.POST or None, session=session, observer=request.user)
    if request.method == "POST" and form.is_valid():
        ok, _observation = attempt(
            request,
            file_observation,
            request.user,
            session,
            form.cleaned_data["tutor"],
            form.scores(),
            form.cleaned_data["strengths"],
            form.cleaned_data["suggestions"],
        )
        if ok:
            messages.success(request, "Observation saved; the tutor can read it now.")
            return redirect("feedback:observe", pk=session.pk)
    started = session.starts_at <= timezone.now()
    return render(
        request, "feedback/observe.html", {"session": session, "form": form, "started": started}
    )
