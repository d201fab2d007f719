"""What recruitment and mentoring erase when a member's account is erased, and what they keep
only for a time (meded/privacy.py): applications' free text and CVs go, decisions, scores and
published allocations stay (they point at the anonymised former member)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from meded.privacy import months_before, remove_files_after_commit
from tutors.mentoring.models import ChangeRequest, MenteeRequest, MentorOffer, MentorPair
from tutors.recruitment.models import (
    Answer,
    Application,
    Decision,
    InterviewScore,
    Review,
    TutorConcern,
)


def _clear_answers(answers) -> list[str]:
    """Blank the answers' text and files; return the files to remove after commit."""
    files = [name for name in answers.exclude(file="").values_list("file", flat=True) if name]
    answers.update(text="", choices=[], file="", file_name="")
    return files


def erase_member(member, **kwargs) -> list[str]:
    applications = Application.objects.filter(applicant=member)
    files = _clear_answers(Answer.objects.filter(application__in=applications))
    applications.update(
        motivation="",
        experience="",
        strengths="",
        availability=[],
        decision_message="",
        feedback_note="",
        decision_reason="",
        fast_track_evidence={},
    )
    # Scores stay (the round's figures); what reviewers wrote about the member goes.
    Review.objects.filter(application__in=applications).update(comment="")
    InterviewScore.objects.filter(application__in=applications).update(comment="")
    TutorConcern.objects.filter(tutor=member).update(summary="(erased with the account)")
    MentorOffer.objects.filter(mentor=member).update(note="")
    MenteeRequest.objects.filter(mentee=member).update(note="")
    pairs = MentorPair.objects.filter(mentor=member) | MentorPair.objects.filter(mentee=member)
    MentorPair.objects.filter(pk__in=pairs.values("pk")).update(explanation="")
    ChangeRequest.objects.filter(pair__in=pairs.values("pk")).update(reason="")
    return files


def unsuccessful_cvs_due(now: datetime):
    """Answers (CVs and other files) of unsuccessful applications whose decision was released
    more than MEDED_RETENTION_UNSUCCESSFUL_MONTHS ago."""
    cutoff = months_before(now, settings.MEDED_RETENTION_UNSUCCESSFUL_MONTHS)
    return Answer.objects.filter(
        application__decision=Decision.REJECT,
        application__decision_released_at__lt=cutoff,
    ).exclude(file="")


def apply_retention(now: datetime, **kwargs) -> int:
    """Delete the CVs (and other files) of unsuccessful applicants once their time is up."""
    answers = unsuccessful_cvs_due(now)
    files = list(answers.values_list("file", flat=True))
    count = Answer.objects.filter(pk__in=answers.values("pk")).update(file="", file_name="")
    remove_files_after_commit(files)
    return count
