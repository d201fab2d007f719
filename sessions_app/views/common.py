"""Small helpers the sessions views share: who may see what."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from meded.roles import is_committee
from sessions_app.models import TeachingSession


def is_session_tutor(user, session: TeachingSession) -> bool:
    return any(t.pk == user.pk for t in session.tutors.all())


def is_staff_for(user, session: TeachingSession) -> bool:
    """Tutors of this session and the committee see drafts, join links and the register."""
    return is_committee(user) or is_session_tutor(user, session)


def visible_session(request, pk: int, queryset=None) -> TeachingSession:
    """Drafts are only for their tutors and the committee; to others they do not exist."""
    session = get_object_or_404(queryset if queryset is not None else TeachingSession, pk=pk)
    if session.status == TeachingSession.Status.DRAFT and not is_staff_for(request.user, session):
        raise Http404("No such session.")
    return session
