"""The sessions list and calendar after a write: their reads are compiled once per process and
the cards, links and filter panel are kept per content, yet they show the same sessions, in the
same order, with the same HTML as the ORM's reads and the old templates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import engines
from django.utils import timezone
from django.utils.safestring import mark_safe

from sessions_app.booking.state import public_badge
from sessions_app.scheduling import listing
from sessions_app.scheduling.fragments import calendar_entry, card_html
from sessions_app.scheduling.models import TeachingSession
from sessions_app.scheduling.selectors import SessionFilters, browse_sessions, period_sessions
from tests.factories.core import TopicFactory, TutorFactory, UserFactory, year
from tests.factories.sessions import TeachingSessionFactory
from tests.support.remembering import cold_compiled, orm_compiles  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
S = TeachingSession

# A card as `_list_content.html` wrote it before cards were kept per content.
OLD_CARD = """<li class="card mb-2 session-card">
      <div class="card-body">
        <div class="d-flex flex-wrap justify-content-between gap-2">
          <h4 class="h5 card-title mb-1"><a href="{% url 'sessions_app:detail' s.pk %}">{{ s.title }}</a></h4>
          <div data-state="{{ s.pk }}">{{ s.badge }}</div>
        </div>
        <p class="mb-1"><time datetime="{{ s.starts_at|date:'c' }}">{{ s.starts_at|date:"H:i" }}\u2013{{ s.ends_at|date:"H:i" }}</time>
          \u00b7 {{ s.get_kind_display }} \u00b7 {{ s.get_delivery_display }}{% if s.venue and s.delivery != "online" %} \u00b7 {{ s.venue }}{% endif %}</p>
        <p class="small text-muted mb-0">{% if s.topic %}{{ s.topic.module.name }} \u00b7 {{ s.topic.code }} \u00b7 {% endif %}{% for y in s.target_years.all %}Y{{ y.number }}{% if not forloop.last %}, {% endif %}{% empty %}All years{% endfor %}
          {% for t in s.tutors.all %}{% if forloop.first %} \u00b7 with {% endif %}{{ t }}{% if not forloop.last %}, {% endif %}{% endfor %}</p>
      </div>
    </li>"""  # noqa: E501


@pytest.fixture
def term():
    """Sessions of every shape over the coming weeks, and some the list never shows."""
    now = timezone.now().replace(microsecond=0)
    erased = TutorFactory(full_name="Zed Gone")
    erased.erased_at = now
    erased.save()
    tutors = [TutorFactory(full_name="Beth <b>Ng</b>"), TutorFactory(full_name=""), erased]
    topic = TopicFactory()
    shapes = [
        {"topic": topic, "target_years": [year(4), year(3)], "tutors": tutors},
        {"kind": S.Kind.TUTORIAL, "delivery": S.Delivery.ONLINE, "capacity": None},
        {"delivery": S.Delivery.HYBRID, "venue": "", "target_years": [year(1)]},
        {"booking_opens": now + timedelta(days=20), "title": "Fish & <chips>"},
        {"topic": TopicFactory(), "kind": S.Kind.CLINICAL_SKILLS, "tutors": tutors[:1]},
    ]
    for day in range(0, 28, 1):
        shape = shapes[day % len(shapes)]
        starts = now + timedelta(days=day, hours=1)
        TeachingSessionFactory(starts_at=starts, **shape)
    TeachingSessionFactory(status=S.Status.DRAFT)
    TeachingSessionFactory(status=S.Status.CANCELLED)
    TeachingSessionFactory(starts_at=now - timedelta(days=2))
    return topic


def _orm_page(filters, now, number):
    from django.core.paginator import Paginator

    sessions = browse_sessions(None, filters, now=now, places=False)
    page = Paginator(sessions, listing.PAGE_SIZE).get_page(number)
    return page, [listing._card(s, now) for s in page.object_list]


def _filter_sets(topic) -> list[SessionFilters]:
    today = timezone.localdate()
    return [
        SessionFilters(),
        SessionFilters(year=3),
        SessionFilters(year=1, kind=S.Kind.LECTURE),
        SessionFilters(module=topic.module.slug),
        SessionFilters(topic=topic.code.lower()),
        SessionFilters(delivery=S.Delivery.ONLINE, year=2),
        SessionFilters(date_from=today + timedelta(days=3)),
        SessionFilters(date_to=today + timedelta(days=9), year=4),
        SessionFilters(date_from=today, date_to=today + timedelta(days=6), module="none"),
        SessionFilters(q="Fish"),  # the ORM's way (a word search)
        SessionFilters(has_places=True),  # the ORM's way (the places decide)
    ]


def test_every_filter_set_shows_the_sessions_and_cards_the_orm_reads_show(term):
    now = timezone.now()
    for filters in _filter_sets(term):
        for number in (1, 2, "9", "x"):
            page, cards = listing.list_page(filters, now, number)
            orm_page, orm_cards = _orm_page(filters, now, number)
            assert cards == orm_cards, filters
            assert (page.number, page.paginator.count) == (
                orm_page.number,
                orm_page.paginator.count,
            )
    page, cards = listing.list_page(SessionFilters(), now, 2)
    assert page.paginator.count == 28 and len(cards) == 8


def test_a_card_is_the_html_the_list_template_wrote(term):
    now = timezone.now()
    old = engines["django"].from_string(OLD_CARD)
    sessions = list(browse_sessions(None, SessionFilters(), now=now, places=False))
    assert len(sessions) == 28
    for s in sessions:
        s.badge = mark_safe(public_badge(s, now))  # as the list set it
        assert card_html(listing._card(s, now)) == old.render({"s": s})
    assert "Beth &lt;b&gt;Ng&lt;/b&gt;, Former member</p>" in card_html(
        listing._card(sessions[0], now)
    )


def test_a_cold_visit_compiles_only_the_member_and_their_groups(client, orm_compiles, term):  # noqa: F811
    client.force_login(UserFactory(year_of_study=3, verified_year=3))
    for url in ("/sessions/", "/sessions/?when=all&kind=lecture", "/sessions/?when=all&page=2"):
        client.get(url)  # the first visit in this process compiles the prepared reads
        body, compiled = cold_compiled(client, url, orm_compiles)
        assert 'class="card mb-2 session-card"' in body
        assert len(compiled) <= 2, compiled  # the member and their groups (the sign-in's)
    body, _ = cold_compiled(client, "/sessions/?when=all&year=", orm_compiles)
    assert "28 sessions" in body and "Page 1 of 2" in body


OLD_LINK = """<a href="{% url 'sessions_app:detail' s.pk %}">{{ s.starts_at|date:"H:i" }} {{ s.title }}</a>"""  # noqa: E501


def test_the_calendar_finds_the_sessions_the_orm_finds_and_links_them_as_before(term):
    today = timezone.localdate()
    first, last = today.replace(day=1), today + timedelta(days=40)
    old = engines["django"].from_string(OLD_LINK)
    for filters in _filter_sets(term):
        rows = listing.period_rows(filters, first, last)
        sessions = list(period_sessions(filters, first, last))
        assert [r[0] for r in rows] == [s.pk for s in sessions], filters
        for (pk, title, starts_at), s in zip(rows, sessions, strict=True):
            assert calendar_entry(pk, title, starts_at).link == old.render({"s": s})
    assert any("Fish &amp; &lt;chips&gt;</a>" in old.render({"s": s}) for s in sessions)


def test_a_cold_calendar_compiles_only_the_member_and_their_groups(client, orm_compiles, term):  # noqa: F811
    client.force_login(UserFactory(year_of_study=3, verified_year=3))
    week = f"/sessions/calendar/?view=week&week={timezone.localdate() + timedelta(days=7)}"
    for url in ("/sessions/calendar/?year=", week, "/sessions/calendar/?kind=lecture"):
        client.get(url)  # the first visit in this process compiles the prepared reads
        body, compiled = cold_compiled(client, url, orm_compiles)
        assert "Fish &amp; &lt;chips&gt;</a>" in body
        assert len(compiled) <= 2, compiled  # the member and their groups (the sign-in's)


def test_the_kept_pieces_follow_every_value_they_show(client, term):
    client.force_login(UserFactory())
    url = "/sessions/?when=all&year="
    assert "28 sessions" in client.get(url).content.decode()
    S.objects.filter(title="Fish & <chips>").update(title="Chips & <fish>", venue="Hall <2>")
    page = client.get(url).content.decode()
    assert "Chips &amp; &lt;fish&gt;" in page and "Fish &amp;" not in page
    assert "Hall &lt;2&gt;" in page
    TeachingSessionFactory(title="Late addition")
    first = client.get(url).content.decode()
    assert "29 sessions" in first and "Page 1 of 2" in first
    second = client.get(url + "&page=2").content.decode()
    assert "Page 2 of 2" in second and "Late addition" in first + second
