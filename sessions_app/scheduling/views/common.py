"""What the sessions pages share: a draft exists only for those who run it."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from sessions_app.scheduling.models import TeachingSession


def visible_session(request, pk: int, queryset=None) -> TeachingSession:
    """Drafts are only for their tutors and the committee; to others they do not exist."""
    session = get_object_or_404(queryset if queryset is not None else TeachingSession, pk=pk)
    if session.status == TeachingSession.Status.DRAFT and not session.is_run_by(request.user):
        raise Http404("No such session.")
    return session
