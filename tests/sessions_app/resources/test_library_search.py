"""Library search: every word must match the title, the description or a topic, and the query's
shape does not grow with the number of words (issue 16: an eight-word search joined topics eight
times and took minutes on PostgreSQL)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from meded.models import User
from sessions_app.resources.selectors import LibraryFilters, library
from tests.factories.core import CommitteeFactory, TopicFactory, UserFactory
from tests.factories.resources import ResourceFactory


def _titles(user: User, q: str) -> set[str]:
    return set(library(user, LibraryFilters(q=q)).values_list("title", flat=True))


def test_each_word_may_match_a_different_field_and_every_word_must_match(db):
    cardiac = TopicFactory(title="Cardiac cycle", code="CVS1")
    renal = TopicFactory(title="Renal physiology", code="REN2")
    ResourceFactory(title="Murmurs explained", topics=[cardiac])
    ResourceFactory(title="Acid-base", description="murmurs and more", topics=[renal])
    ResourceFactory(title="Unrelated handout")
    student = UserFactory()

    assert _titles(student, "cardiac murmurs") == {"Murmurs explained"}
    assert _titles(student, "MURMURS") == {"Murmurs explained", "Acid-base"}
    assert _titles(student, "ren2 acid") == {"Acid-base"}
    assert _titles(student, "cvs1") == {"Murmurs explained"}
    assert _titles(student, "cardiac renal") == set()


def _sql(user: User, q: str) -> str:
    with CaptureQueriesContext(connection) as ctx:
        list(library(user, LibraryFilters(q=q)))
    return "\n".join(query["sql"] for query in ctx.captured_queries)


def test_the_query_plan_does_not_grow_with_the_number_of_words(db):
    topic = TopicFactory(title="Cardiac cycle")
    ResourceFactory(title="Murmurs", topics=[topic])
    for user in (UserFactory(), CommitteeFactory()):
        _sql(user, "warm")  # the member's roles are read once, on the first call
        one = _sql(user, "cardiac")
        eight = _sql(user, "mur murs urm cardiac cycle card cyc rdi")
        assert one.upper().count("JOIN") == eight.upper().count("JOIN")
        with CaptureQueriesContext(connection) as one_ctx:
            list(library(user, LibraryFilters(q="cardiac")))
        with CaptureQueriesContext(connection) as eight_ctx:
            list(library(user, LibraryFilters(q="mur murs urm cardiac cycle card cyc rdi")))
        assert len(one_ctx.captured_queries) == len(eight_ctx.captured_queries)
        assert _titles(user, "mur murs urm cardiac cycle card cyc rdi") == {"Murmurs"}
