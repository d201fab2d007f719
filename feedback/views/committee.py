"""The committee's feedback pages: dashboard, review queue, export, survey report, observations."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from feedback.forms import FilterForm, ObservationForm
from feedback.selectors import review_queue
from feedback.services import FeedbackError
from feedback.services.dashboards import committee_dashboard
from feedback.services.observations import can_observe, file_observation
from feedback.services.reports import export_csv, survey_csv, survey_report
from feedback.services.responses import review_text
from meded.roles import committee_required, member_required
from sessions_app.models import TeachingSession


def _csv(content: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate()}.csv"'
    return response


@committee_required
def dashboard(request):
    form = FilterForm(request.GET or None)
    return render(
        request,
        "feedback/committee.html",
        {
            "form": form,
            "dash": committee_dashboard(form.filters()),
            "query": request.GET.urlencode(),
            "min_responses": settings.MEDED_FEEDBACK_MIN_RESPONSES,
        },
    )


@committee_required
def review(request):
    queue = list(review_queue()[:200])
    return render(request, "feedback/review.html", {"queue": queue})


@committee_required
@require_POST
def review_decide(request, answer_id):
    try:
        review_text(request.user, answer_id, request.POST.get("decision", ""))
    except FeedbackError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Saved.")
    return redirect("feedback:review")


@committee_required
def export(request):
    return _csv(export_csv(FilterForm(request.GET or None).filters()), "feedback-responses")


@committee_required
def report(request):
    form = FilterForm(request.GET or None)
    data = survey_report(form.filters())
    if request.GET.get("format") == "csv":
        return _csv(survey_csv(data), "feedback-survey-report")
    return render(
        request,
        "feedback/report.html",
        {"form": form, "report": data, "query": request.GET.urlencode()},
    )


@member_required
def observe(request, pk: int):
    session = get_object_or_404(TeachingSession.objects.prefetch_related("tutors"), pk=pk)
    if not can_observe(request.user, session):
        raise PermissionDenied("Only the committee or a senior tutor may observe a session.")
    form = ObservationForm(request.POST or None, session=session, observer=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            file_observation(
                request.user,
                session,
                form.cleaned_data["tutor"],
                form.scores(),
                form.cleaned_data["strengths"],
                form.cleaned_data["suggestions"],
            )
        except FeedbackError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Observation saved; the tutor can read it now.")
            return redirect("feedback:observe", pk=session.pk)
    return render(request, "feedback/observe.html", {"session": session, "form": form})
