"""The private calendar subscription feed and revoking its address."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from meded.roles import member_required
from sessions_app.booking.calendar import feed_ics, regenerate_token


def feed(request, token: str):
    """No login: calendar apps fetch it unattended; the unguessable token is the key."""
    user = get_object_or_404(get_user_model(), calendar_token=token, is_active=True)
    response = HttpResponse(feed_ics(user), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_POST
@member_required
def regenerate(request):
    regenerate_token(request.user)
    messages.success(
        request,
        "Your calendar address has changed. Subscribe again with the new link; the old "
        "one no longer works.",
    )
    return redirect("profile")
