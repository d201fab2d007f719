"""The demo society has a year-3 programme whose groups are published through the services."""

from __future__ import annotations

from sessions_app.booking.models import Booking
from sessions_app.smallgroups.programme_demo import TITLE
from sessions_app.smallgroups.programme_models import GroupMember, Programme


def test_the_demo_has_a_published_programme_with_booked_groups(demo_society):
    programme = Programme.objects.get(title=TITLE)
    assert programme.is_published
    groups = list(programme.groups.all())
    assert groups and all(g.series_id and g.locked for g in groups)
    members = GroupMember.objects.filter(programme=programme)
    assert members.count() > 0 and not members.filter(booked=False).exists()
    sessions = [s for g in groups for s in g.series.sessions.all()]
    assert len(sessions) == 8 * len(groups)
    booked = Booking.objects.filter(session__in=sessions, status="confirmed").count()
    assert booked == 8 * members.count()
    assert all(len({m.student_id for m in g.members.all()}) <= programme.group_size for g in groups)
