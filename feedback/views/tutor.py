"""A tutor's own results (aggregates only, above the threshold) and observations."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from feedback.selectors.aggregates import audience_counts, audience_key
from feedback.selectors.dashboards import cached_tutor_dashboard, tutor_session, with_audience
from feedback.selectors.observations import observable_sessions
from feedback.services.observations import can_observe_as_senior
from meded.remember import member_key, minute, remember, remember_html
from meded.roles import tutor_required
from sessions_app.models import TeachingSession

# A page of sessions, and the trend of the latest sessions with results: a long-serving tutor's
# page renders the same rows as a new tutor's.
PAGE_SIZE = 25
TREND = 12
BODY = "feedback/_teaching_body.html"


@tutor_required
def teaching(request):
    """Remembered for the member, the page and the minute (feedback is released with the
    clock); the dashboard inside is remembered on its own until it changes, without the audience
    of the sessions taught: that is counted afresh (one query) and keys the body, so anyone
    else's booking leaves both be."""
    taught = remember(  # the ids alone: a hit costs little, and is dropped with the dashboard
        "feedback-taught-ids",
        (request.user.pk, minute()),
        lambda: [r.session.pk for r in cached_tutor_dashboard(request.user).sessions],
    )
    audience = audience_counts(taught)
    parts = (*member_key(request.user), request.GET.get("page", ""), minute())
    body = remember_html(
        request,
        "feedback-teaching",
        (*parts, audience_key(audience)),
        BODY,
        lambda: _teaching(request, audience),
    )
    return render(request, "feedback/teaching.html", {"body": body})


def _teaching(request, audience: dict[int, int]) -> dict:
    dash = cached_tutor_dashboard(request.user)  # remembered: read again, the body follows it
    with_audience(dash.sessions, audience)
    newest_first = list(reversed(dash.sessions))
    return {
        "dash": dash,
        "page": Paginator(newest_first, PAGE_SIZE).get_page(request.GET.get("page")),
        "trend": dash.trend[-TREND:],
        "observable": observable_sessions(request.user)
        if can_observe_as_senior(request.user)
        else [],
        "min_responses": settings.MEDED_FEEDBACK_MIN_RESPONSES,
    }


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
