"""A writer's list of their questions, visited after a write (nothing remembered), is read a page
at a time by statements compiled once per process (questions/selectors.my_questions_page): each
line shows the question's status, open flags, stem, topic codes and version as before."""

import pytest

from sessions_app.questions import bank
from tests.factories.core import TopicFactory, TutorFactory, UserFactory
from tests.factories.questions import draft, published
from tests.support.remembering import cold_compiled, orm_compiles  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]


def test_a_cold_visit_lists_the_writers_questions_without_compiling_them(client, orm_compiles):  # noqa: F811
    writer = TutorFactory()
    topics = [TopicFactory(code="CV9"), TopicFactory(code="AB1")]
    flagged = published(author=writer, topics=topics, stem="Which valve closes first?")
    bank.flag_question(UserFactory(), flagged, "wrong_answer", "Option C is also right")
    draft(author=writer, stem="A draft about the liver")
    draft(author=TutorFactory(), stem="Somebody else's question")
    client.force_login(writer)
    client.get("/questions/mine/")
    body, compiled = cold_compiled(client, "/questions/mine/", orm_compiles)
    assert "Which valve closes first?" in body and "A draft about the liver" in body
    assert "Somebody else" not in body
    codes = ", ".join(t.code for t in sorted(topics, key=lambda t: (t.module.name, t.code)))
    assert f"{codes} · version 1" in body
    assert "1 flag<" in body
    assert not [sql for sql in compiled if "sessions_app_question" in sql], compiled


def test_the_list_pages_at_25_and_holds_each_question_once(client):
    writer = TutorFactory()
    for n in range(27):
        draft(author=writer, **{"stem": f"Stem number {n:02d} of the writer"})
    client.force_login(writer)
    first = client.get("/questions/mine/").content.decode()
    second = client.get("/questions/mine/?page=2").content.decode()
    shown = [n for n in range(27) for body in (first, second) if f"Stem number {n:02d} " in body]
    assert sorted(shown) == list(range(27))
    assert "Page 2 of 2" in second and "Stem number 26 " in first  # newest first
