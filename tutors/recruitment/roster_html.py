"""The roster's table rows written in Python: one line per accepted tutor of every round, so a
cold visit (the first after any write) rendered a few hundred rows of eight cells through the
template engine, most of the page's cost. The cells are the ones `_roster_body.html` printed,
escaped as the template escaped them."""

from __future__ import annotations

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from tutors.recruitment.selectors import RosterRow


def rows_html(rows: list[RosterRow], *, show_round: bool) -> SafeString:
    return mark_safe("".join(_row(row, show_round) for row in rows))


def _row(row: RosterRow, show_round: bool) -> str:
    a, tutor = row.application, row.application.applicant
    released = a.decision_released_at
    when = date_format(timezone.localtime(released), "j M Y") if released else ""
    round_cell = format_html("<td>{}</td>", a.round.name) if show_round else ""
    extra = format_html_join("", "<td>{}</td>", ((value,) for value in row.extra_cells))
    return format_html(
        '<tr><th scope="row">{}</th><td>{}</td><td>{}</td>{}<td>{}</td><td>{}</td>{}</tr>',
        tutor.full_name or tutor.email,
        tutor.email,
        a.get_year_of_study_display(),
        round_cell,
        when,
        row.rounds_as_tutor,
        extra,
    )
