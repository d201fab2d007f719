"""A tutor's own results (aggregates only, above the threshold) and observations."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe

from feedback.fragments import memo_render, observation_shown, result_shown
from feedback.selectors.aggregates import audience_counts
from feedback.selectors.dashboards import (
    TutorDashboard,
    cached_tutor_dashboard,
    tutor_session,
    with_audience,
)
from feedback.selectors.observations import observable
from feedback.services.observations import can_observe_as_senior
from meded.remember import minute, remember
from meded.roles import tutor_required
from sessions_app.models import TeachingSession

# A page of sessions, and the trend of the latest sessions with results: a long-serving tutor's
# page renders the same rows as a new tutor's.
PAGE_SIZE = 25
TREND = 12
BODY = "feedback/_teaching_body.html"


@tutor_required
def teaching(request):
    """The dashboard is remembered on its own until it changes (the clock alone included: a
    window closes), without the audience of the sessions taught: that is counted afresh (one
    query), so anyone else's booking leaves it be. The body is rendered once per process for
    what it shows (feedback/fragments.py): after a write anywhere behind the dashboard it is
    read again, and usually shows the same."""
    dash = cached_tutor_dashboard(request.user)
    audience = audience_counts([r.session.pk for r in dash.sessions])
    context = _teaching(request, dash, audience)
    shown = (
        context["min_responses"],
        tuple(result_shown(r) for r in dash.sessions),
        dash.falling,
        repr(dash.overall),
        tuple(observation_shown(o) for o in dash.observations),
        tuple((s.pk, s.title, s.starts_at) for s in context["observable"]),
        context["page"].number,
        tuple(request.GET.items()),  # the pager's links keep the other parameters
    )
    body = memo_render(BODY, shown, context, request)
    return render(request, "feedback/teaching.html", {"body": mark_safe(body)})


def _teaching(request, dash: TutorDashboard, audience: dict[int, int]) -> dict:
    with_audience(dash.sessions, audience)
    newest_first = list(reversed(dash.sessions))
    return {
        "dash": dash,
        "page": Paginator(newest_first, PAGE_SIZE).get_page(request.GET.get("page")),
        "trend": dash.trend[-TREND:],
        "observable": _observable(request.user) if can_observe_as_senior(request.user) else [],
        "min_responses": settings.MEDED_FEEDBACK_MIN_RESPONSES,
    }


def _observable(user) -> list[TeachingSession]:
    """Remembered for the minute (sessions start and age out of the window with the clock):
    a repeat visit runs no query for them."""
    return remember("feedback-observable", (user.pk, minute()), lambda: observable(user))


@tutor_required
def teaching_session(request, pk: int):
    session = get_object_or_404(TeachingSession.objects.select_related("topic"), pk=pk)
    if not session.is_taught_by(request.user):
        raise Http404("You did not teach this session.")
    result, stats = tutor_session(request.user, session)
    return render(
        request,
        "feedback/teaching_session.html",
        {
            "session": session,
            "result": result,
            "stats": stats,
            "observations": session.observations.filter(tutor=request.user).select_related(
                "observer", "session"
            ),
            "min_responses": settings.MEDED_FEEDBACK_MIN_RESPONSES,
        },
    )
