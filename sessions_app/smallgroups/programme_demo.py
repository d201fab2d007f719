"""A demo programme for year 3: created, the year enrolled, groups formed and published, all
through the services and the mass-email flow (a `seed_demo` receiver, after availability)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from meded.models import Year
from meded.notifications import mailings
from meded.roles import is_tutor

from .programme_models import Programme
from .programmes import Leader, create_programme, enrol_year
from .proposal import run
from .publishing import ACTION

TITLE = "Year 3 clinical reasoning small groups"


def seed_programme(sender=None, demo=None, **kwargs) -> None:
    year = Year.objects.filter(number=3).first()
    if year is None or Programme.objects.filter(title=TITLE).exists():
        return
    tutors = [t for t in [demo.tutor, *demo.tutors] if t and is_tutor(t)]
    leaders = [Leader(t, 2 if i % 2 else 1) for i, t in enumerate(dict.fromkeys(tutors))][:10]
    if not leaders:
        return
    today = timezone.localdate()
    programme = create_programme(
        demo.chair,
        title=TITLE,
        year=year,
        first_day=today + timedelta(days=7 - today.weekday() + 7),
        weeks=8,
        venue="Clinical skills centre, room 2",
        leaders=leaders,
    )
    enrol_year(demo.chair, programme)
    run(programme)
    preview = mailings.preview(ACTION, programme.pk)
    mailings.confirm(demo.chair, ACTION, programme.pk, expected=preview.fingerprint)
