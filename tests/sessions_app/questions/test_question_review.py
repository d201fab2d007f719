"""The review flow: drafts private to their author, reviewers who never review their own,
versions that keep the answers given to them, retiring, and students' flags."""

import pytest
from django.urls import reverse

from sessions_app.questions import bank, practice
from sessions_app.questions.errors import QuestionError
from sessions_app.questions.models import Question, QuestionFlag, QuestionReviewer
from sessions_app.questions.permissions import can_review
from tests.factories.core import CommitteeFactory, TutorFactory, UserFactory
from tests.factories.questions import content, draft, published

pytestmark = pytest.mark.django_db


def test_a_draft_is_private_to_its_author():
    author, other_tutor, committee = TutorFactory(), TutorFactory(), CommitteeFactory()
    question = draft(author)
    assert question.status == Question.Status.DRAFT
    for member, expected in [(author, 200), (other_tutor, 403), (committee, 403)]:
        from django.test import Client

        client = Client()
        client.force_login(member)
        assert client.get(question.get_absolute_url()).status_code == expected


def test_submitted_question_is_approved_by_committee_and_goes_live():
    author, committee = TutorFactory(), CommitteeFactory()
    question = draft(author)
    bank.submit_for_review(author, question)
    review = bank.review_question(committee, question, "approve")
    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED
    assert question.live_version_id == question.latest_version_id == review.version_id
    assert list(practice.practisable()) == [question]


def test_the_author_never_reviews_their_own_question_even_on_the_committee():
    author = CommitteeFactory()
    question = bank.create_question(author, content(), submit=True)
    assert not can_review(author, question)
    with pytest.raises(QuestionError, match="someone else must review"):
        bank.review_question(author, question, "approve")


def test_a_tutor_reviews_only_once_the_committee_marks_them():
    tutor, author, chair = TutorFactory(), TutorFactory(), CommitteeFactory()
    question = bank.create_question(author, content(), submit=True)
    with pytest.raises(QuestionError, match="Only the committee and question reviewers"):
        bank.review_question(tutor, question, "approve")
    with pytest.raises(QuestionError, match="Only the committee"):
        bank.set_reviewer(tutor, tutor, True)  # never self-granted
    bank.set_reviewer(chair, tutor, True)
    tutor = type(tutor).objects.get(pk=tutor.pk)
    bank.review_question(tutor, question, "approve")
    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED


def test_a_committee_member_cannot_change_their_own_reviewer_flag():
    chair = CommitteeFactory()
    with pytest.raises(QuestionError, match="your own rights"):
        bank.set_reviewer(chair, chair, True)
    assert not QuestionReviewer.objects.exists()


def test_returning_or_rejecting_needs_comments_and_returned_questions_can_be_resubmitted():
    author, chair = TutorFactory(), CommitteeFactory()
    question = bank.create_question(author, content(), submit=True)
    with pytest.raises(QuestionError, match="Tell the author why"):
        bank.review_question(chair, question, "return", "  ")
    bank.review_question(chair, question, "return", "Option C is also right.")
    question.refresh_from_db()
    assert question.status == Question.Status.RETURNED
    bank.edit_question(author, question, content(topics=list(question.latest_version.topics.all())))
    bank.submit_for_review(author, question)
    bank.review_question(chair, question, "reject", "Not in the curriculum.")
    question.refresh_from_db()
    assert question.status == Question.Status.REJECTED
    assert question.live_version_id is None
    with pytest.raises(QuestionError):
        bank.edit_question(author, question, content())


def test_an_edit_after_publication_goes_back_to_review_and_answers_keep_their_version():
    author, chair, student = TutorFactory(), CommitteeFactory(), UserFactory()
    question = published(author, chair)
    first = question.live_version
    practice_set = practice.start_practice(student, count=1)
    item = practice.answer(student, practice_set, 1, "B")
    assert item.version_id == first.pk and item.correct

    new = bank.edit_question(author, question, content(topics=list(first.topics.all()), answer="C"))
    question.refresh_from_db()
    assert question.status == Question.Status.IN_REVIEW
    assert question.live_version_id == first.pk  # students still answer version 1
    assert new.number == 2

    bank.review_question(chair, question, "approve")
    question.refresh_from_db()
    item.refresh_from_db()
    assert question.live_version_id == new.pk
    assert item.version_id == first.pk and item.version.answer == "B"
    assert question.versions.count() == 2


def test_a_rejected_edit_leaves_the_published_version_live():
    author, chair = TutorFactory(), CommitteeFactory()
    question = published(author, chair)
    live = question.live_version_id
    bank.edit_question(author, question, content(topics=[question.live_version.topics.first()]))
    bank.review_question(chair, question, "reject", "The old wording was clearer.")
    question.refresh_from_db()
    assert question.status == Question.Status.PUBLISHED
    assert question.live_version_id == question.latest_version_id == live


def test_a_retired_question_stays_in_history_but_not_in_practice():
    author, chair = TutorFactory(), CommitteeFactory()
    question = published(author, chair)
    bank.retire_question(chair, question)
    question.refresh_from_db()
    assert question.status == Question.Status.RETIRED
    assert question.versions.count() == 1 and question.reviews.count() == 1
    assert not practice.practisable().filter(pk=question.pk).exists()


def test_a_student_flag_goes_to_the_review_queue_with_the_version_seen():
    question, student, reviewer = published(), UserFactory(), CommitteeFactory()
    flag = bank.flag_question(student, question, "wrong_answer", "I think it is C.")
    assert flag.version_id == question.live_version_id
    from django.test import Client

    client = Client()
    client.force_login(reviewer)
    page = client.get(reverse("sessions_app:question_queue")).content.decode()
    assert "I think it is C." in page
    client.post(reverse("sessions_app:question_flag_resolve", args=[flag.pk]))
    flag.refresh_from_db()
    assert flag.resolved_by == reviewer


def test_a_flag_needs_a_comment():
    with pytest.raises(QuestionError, match="Say what is wrong"):
        bank.flag_question(UserFactory(), published(), "unclear", "")
    assert not QuestionFlag.objects.exists()


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"stem": " "}, "stem"),
        ({"answer": "F"}, "Choose the correct answer"),
        ({"explanation": ""}, "Explain why"),
    ],
)
def test_a_badly_formed_question_is_refused_with_the_field(bad, message):
    c = content()
    for key, value in bad.items():
        setattr(c, key, value)
    with pytest.raises(QuestionError, match=message):
        bank.create_question(TutorFactory(), c)
    assert not Question.objects.exists()


def test_an_empty_or_repeated_option_is_refused():
    c = content()
    c.options[3] = ""
    with pytest.raises(QuestionError, match="Option D is empty") as info:
        bank.create_question(TutorFactory(), c)
    assert info.value.field == "option_d"
    c.options[3] = c.options[0]
    with pytest.raises(QuestionError, match="same thing"):
        bank.create_question(TutorFactory(), c)
