"""Building a small-group programme for tests: tutors and students with known weekly times."""

from __future__ import annotations

from datetime import date

from sessions_app.smallgroups.programmes import Leader, create_programme, sign_up
from sessions_app.smallgroups.services import save_week
from tests.factories.core import TutorFactory, UserFactory, year

MON_18 = range(36, 38)  # Monday 18:00-19:00
TUE_18 = range(48 + 36, 48 + 38)  # Tuesday 18:00-19:00


def member(factory=UserFactory, cells=(), **kwargs):
    person = factory(**kwargs)
    if cells:
        save_week(person, cells)
    return person


def programme_with(
    *, first_day: date, weeks: int = 4, size: int = 2, students=(), leaders=(), **kwargs
):
    """A year-3 programme; `leaders` are (cells, groups), `students` are cells (signed up)."""
    tutors = [member(TutorFactory, cells) for cells, _ in leaders]
    programme = create_programme(
        None,
        title=kwargs.pop("title", "Year 3 small groups"),
        year=year(3),
        first_day=first_day,
        weeks=weeks,
        venue="Room 2",
        group_size=size,
        leaders=[Leader(t, n) for t, (_, n) in zip(tutors, leaders, strict=True)],
        **kwargs,
    )
    people = [member(UserFactory, cells) for cells in students]
    for person in people:
        sign_up(person, programme)
    return programme, tutors, people
