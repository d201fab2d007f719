"""Who opened, downloaded and watched a resource: the audience's own records, which feedback
reads ("watched the recording" counts as being there) and the committee's figures count.

Only the audience counts: a draft opened for review, or a file a tutor checks before release,
is not a view.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from meded.models import User
from sessions_app.resources.models import RecordingPlayback, Resource, ResourceAccess
from sessions_app.resources.services import is_released


def record_access(user: User, resource: Resource, kind: str) -> ResourceAccess | None:
    """Count an open or download by the audience: a draft opened for review, or a file a tutor
    checks before release, is not a view (nor "watched the recording" for feedback)."""
    if not (resource.is_published and is_released(resource)):
        return None
    return ResourceAccess.objects.create(user=user, resource=resource, kind=kind)


def merge_spans(spans: list[list[int]], start: int, end: int) -> list[list[int]]:
    """Add [start, end) to sorted, disjoint [start, end) spans and merge what touches."""
    merged: list[list[int]] = []
    for a, b in sorted([*spans, [start, end]]):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return merged


def record_playback(user: User, resource: Resource, start: int, end: int, size: int) -> bool:
    """Note that bytes [start, end) of a recording were streamed to the member for playback;
    return whether they have now watched it (MEDED_RECORDING_WATCHED_SHARE of the file).

    Only a published, released recording of the audience counts, as for record_access.
    """
    if (
        resource.kind != Resource.Kind.RECORDING
        or not (resource.is_published and is_released(resource))
        or size <= 0
        or end <= start
    ):
        return False
    with transaction.atomic():
        RecordingPlayback.objects.get_or_create(resource=resource, user=user)
        playback = RecordingPlayback.objects.select_for_update().get(resource=resource, user=user)
        if playback.watched:
            return True
        playback.spans = merge_spans(playback.spans, max(start, 0), min(end, size))
        covered = sum(b - a for a, b in playback.spans)
        playback.watched = covered >= settings.MEDED_RECORDING_WATCHED_SHARE * size
        playback.save(update_fields=["spans", "watched"])
    return playback.watched
