"""The application page read cold (after a write to every table): the member's application,
their earlier one (and its round), the round's questions and a draft's answers come from reads
compiled once per process, and the page shows what they hold."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory
from tests.factories.tutors import ApplicationFactory, RecruitmentRoundFactory
from tests.support.remembering import cold_compiled, orm_compiles  # noqa: F401 (a fixture)
from tutors.models import Answer, Application, Question
from tutors.recruitment import apply_reads

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("steady_minute")]
URL = "/tutors/apply/"


@pytest.fixture
def rounds():
    now = timezone.now()
    old = RecruitmentRoundFactory(
        name="Spring round",
        applications_open=now - timedelta(days=200),
        applications_close=now - timedelta(days=180),
    )
    new = RecruitmentRoundFactory(name="Autumn round")
    Question.objects.create(round=new, kind=Question.Kind.SHORT_TEXT, label="Favourite organ?")
    return old, new


def test_the_prepared_reads_give_the_querysets_rows(rounds):
    old, new = rounds
    member = UserFactory()
    earlier = ApplicationFactory(round=old, applicant=member, strengths="Renal")
    draft = ApplicationFactory(round=new, applicant=member, status=Application.Status.DRAFT)
    question = new.questions.get()
    Answer.objects.create(application=draft, question=question, text="Kidney")
    assert apply_reads.application_to(new.pk, member.pk) == draft
    assert apply_reads.application_to(new.pk, UserFactory().pk) is None
    found = apply_reads.earlier_application(member.pk, new.pk)
    assert found == earlier and found.round.name == "Spring round"
    assert apply_reads.round_questions(new.pk) == list(new.questions.all())
    assert apply_reads.application_answers(draft.pk) == list(draft.answers.all())


def test_a_cold_visit_compiles_only_the_members_own_reads(client, rounds, orm_compiles):  # noqa: F811
    old, _ = rounds
    member = UserFactory()
    ApplicationFactory(round=old, applicant=member, motivation="I loved my own peer tutors.")
    client.force_login(member)
    cold_compiled(client, URL, orm_compiles)  # the process's first visit compiles its reads
    page, compiled = cold_compiled(client, URL, orm_compiles)
    assert len(compiled) <= 2, "\n".join(compiled)  # the member and their roles
    assert "I loved my own peer tutors." in page and "Favourite organ?" in page
    assert "from your application to Spring round" in page
