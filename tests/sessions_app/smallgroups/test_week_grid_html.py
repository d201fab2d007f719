"""The week grid written in Python is the HTML the template wrote, whatever the week."""

from __future__ import annotations

import random

from django.template import engines

from sessions_app.smallgroups.forms import grid_rows
from sessions_app.smallgroups.grid_html import week_grid_html

# The grid as `_availability_content.html` wrote it before it moved to Python.
TEMPLATE = """{% for row in rows|slice:":1" %}{% for c in row.cells %}<span class="availability-day" aria-hidden="true">{{ c.day }}</span>{% endfor %}{% endfor %}
      {% for row in rows %}
        <span class="availability-time" aria-hidden="true">{% if row.row|divisibleby:2 %}{{ row.time }}{% endif %}</span>
        {% for c in row.cells %}
        <label class="availability-cell" title="{{ c.day }} {{ row.time }}">
          <input type="checkbox" name="cell" value="{{ c.cell }}" data-row="{{ row.row }}" data-col="{{ c.col }}" {% if c.free %}checked{% endif %}>
          <span class="visually-hidden">{{ c.day }} {{ row.time }}</span>
        </label>
        {% endfor %}
      {% endfor %}"""  # noqa: E501


def _template(free: frozenset[int]) -> str:
    return engines["django"].from_string(TEMPLATE).render({"rows": grid_rows(free)})


def test_the_grid_is_the_templates_html_for_empty_full_and_random_weeks():
    chance = random.Random(41)
    weeks = [frozenset(), frozenset(range(336))]
    weeks += [frozenset(chance.sample(range(336), k)) for k in (1, 20, 150)]
    for free in weeks:
        assert week_grid_html(free) == _template(free)


def test_cells_off_the_grid_change_nothing_and_the_memo_keeps_one_copy_per_week():
    on_grid = frozenset({36, 86})
    assert week_grid_html(on_grid | {4}) is week_grid_html(on_grid)
    assert 'value="36" data-row="20" data-col="0" checked' in week_grid_html(on_grid)
    assert 'value="37" data-row="21" data-col="0" >' in week_grid_html(on_grid)
