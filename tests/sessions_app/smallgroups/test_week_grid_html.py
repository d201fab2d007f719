"""My availability after a write: the week grid written in Python is the HTML the template
wrote, whatever the week, and the member's own rows are read without compiling SQL."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from django.template import engines
from django.utils import timezone

from sessions_app.smallgroups import services
from sessions_app.smallgroups.forms import grid_rows
from sessions_app.smallgroups.grid_html import week_grid_html
from tests.factories.core import UserFactory
from tests.support.remembering import cold_compiled, orm_compiles  # noqa: F401 (a fixture)

URL = "/availability/"
HOUR = timedelta(hours=1)

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


@pytest.mark.django_db
def test_a_cold_visit_compiles_only_the_member_and_their_groups(client, orm_compiles):  # noqa: F811
    member = UserFactory()
    services.save_week(member, [36, 86])
    services.add_exception(member, date(2027, 3, 1), date(2027, 3, 5), "Placement")
    client.force_login(member)
    client.get(URL)  # the first visit in this process compiles the prepared reads
    body, compiled = cold_compiled(client, URL, orm_compiles)
    assert 'value="36" data-row="20" data-col="0" checked' in body
    assert "Mon 1 Mar 2027 \u2013 Fri 5 Mar 2027 · Placement" in body
    assert "No busy dates yet." not in body
    # the member and their groups (the sign-in's, not the page's): the week, the dates, the
    # busy times and the feed are prepared
    assert len(compiled) <= 2, compiled


@pytest.mark.django_db
def test_the_content_kept_per_process_follows_every_value_it_shows(client):
    from meded.remember import CSRF_SENTINEL
    from sessions_app.smallgroups.models import AvailabilityException, BusyBlock, CalendarFeed

    member, other = UserFactory(), UserFactory()
    for who, label in ((member, "Label-Alpha"), (other, "Label-Beta")):
        services.add_exception(who, date(2027, 3, 1), date(2027, 3, 5), label)
    client.force_login(member)
    assert "Label-Alpha" in client.get(URL).content.decode()
    AvailabilityException.objects.filter(member=member).update(label="Label-Gamma")
    page = client.get(URL).content.decode()
    assert "Label-Gamma" in page and "Label-Alpha" not in page and "Label-Beta" not in page
    feed = CalendarFeed.objects.create(member=member, url="https://example.test/cal.ics")
    assert "Your calendar feed is read." in client.get(URL).content.decode()
    CalendarFeed.objects.filter(pk=feed.pk).update(problem="The feed did not answer.")
    assert "Last try: The feed did not answer." in client.get(URL).content.decode()
    start = timezone.now() + timedelta(days=2)
    BusyBlock.objects.create(member=member, source="file", starts_at=start, ends_at=start + HOUR)
    page = client.get(URL).content.decode()
    assert "(calendar file)" in page and CSRF_SENTINEL not in page  # this request's token
    client.force_login(other)
    page = client.get(URL).content.decode()
    assert "Label-Beta" in page and "Label-Gamma" not in page and "calendar file" not in page
