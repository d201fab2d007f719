"""Releasing mock-exam results and OSCE sheets, as mass emails: previewed, confirmed, held.

Every student who sat the paper (every candidate with a sheet) is told their results are there
to see. Undo takes the release back before anyone is emailed. After a withdrawal, releasing
again writes a fresh email (the object key counts the releases), so nobody misses the news.
"""

from __future__ import annotations

from django.urls import reverse

from meded.notifications import register_kind
from meded.notifications.mailings import Letter, MailingError, MassAction, register_action
from meded.notifications.models import Mailing

from . import exams, osce
from .errors import QuestionError
from .models import ExamAttempt, ExamPaper, OsceSheet, OsceStation

RESULTS = "questions.release_results"
SHEETS = "questions.release_osce_sheets"

register_kind("exam_results_released", "Your mock-exam results are ready.")
register_kind("osce_sheet_released", "Your mock OSCE mark sheet is ready.")


def _release_number(action: str, target) -> int:
    """1 for the first release, 2 after a withdrawal and a second release ..."""
    key = f"{target._meta.label_lower}:{target.pk}"
    done = Mailing.objects.filter(action=action, target_key=key)
    return done.exclude(state=Mailing.State.UNDONE).count() + 1


def _same_people(letters: list[Letter], people: set[int]) -> None:
    if people != {letter.user.pk for letter in letters}:
        raise MailingError(
            "Who would be emailed changed since you looked; check the new preview and confirm "
            "again."
        )


# -- mock-exam results -------------------------------------------------------------------------


def _sat(paper: ExamPaper):
    return ExamAttempt.objects.filter(paper=paper).select_related("student")


def _results_letters(paper: ExamPaper) -> list[Letter]:
    exams.check_releasable(paper)  # the preview refuses what the confirmation would
    n = _release_number(RESULTS, paper)
    n_items = paper.items.count()
    return [
        Letter(
            user=attempt.student,
            object_key=f"sessions_app.exampaper:{paper.pk}:release-{n}",
            context={"paper": paper, "n_items": n_items},
        )
        for attempt in _sat(paper).order_by("pk")
    ]


def _results_apply(actor, paper: ExamPaper, letters: list[Letter]) -> dict:
    locked = (
        ExamPaper.objects.select_for_update(of=("self",)).select_related("session").get(pk=paper.pk)
    )
    exams.check_releasable(locked)
    _same_people(letters, set(_sat(locked).values_list("student_id", flat=True)))
    exams.release_results(actor, locked)
    return {"paper": locked.pk}


def _results_revert(mailing: Mailing, data: dict) -> None:
    ExamPaper.objects.filter(pk=data["paper"]).update(results_released_at=None)


register_action(
    MassAction(
        name=RESULTS,
        verb="Release results",
        kind="exam_results_released",
        load=lambda pk: ExamPaper.objects.select_related("session").get(pk=pk),
        letters=_results_letters,
        apply=_results_apply,
        revert=_results_revert,
        title=lambda paper: f"Results of the mock exam “{paper.title}”",
        back_url=lambda paper: reverse("sessions_app:exam_manage", args=[paper.pk]),
        explain="Confirming releases the results at once: each student who sat the paper sees "
        "their score, the cohort's distribution and the explanations. Undo hides them again.",
    )
)


# -- OSCE mark sheets --------------------------------------------------------------------------


def _sheets(station: OsceStation):
    return OsceSheet.objects.filter(station=station).select_related("candidate")


def _sheet_letters(station: OsceStation) -> list[Letter]:
    if station.released_at is not None:
        raise QuestionError("These sheets are already released.")
    n = _release_number(SHEETS, station)
    return [
        Letter(
            user=sheet.candidate,
            object_key=f"sessions_app.oscestation:{station.pk}:release-{n}",
            context={"station": station},
        )
        for sheet in _sheets(station).order_by("pk")
    ]


def _sheet_apply(actor, station: OsceStation, letters: list[Letter]) -> dict:
    locked = OsceStation.objects.select_for_update().get(pk=station.pk)
    if locked.released_at is not None:
        raise QuestionError("These sheets are already released.")
    _same_people(letters, set(_sheets(locked).values_list("candidate_id", flat=True)))
    osce.release(actor, locked)
    return {"station": locked.pk}


def _sheet_revert(mailing: Mailing, data: dict) -> None:
    osce.withdraw(OsceStation(pk=data["station"]))


register_action(
    MassAction(
        name=SHEETS,
        verb="Release sheets",
        kind="osce_sheet_released",
        load=lambda pk: OsceStation.objects.select_related("session").get(pk=pk),
        letters=_sheet_letters,
        apply=_sheet_apply,
        revert=_sheet_revert,
        title=lambda station: f"OSCE mark sheets for “{station.title}”",
        back_url=lambda station: reverse("sessions_app:osce_stations"),
        explain="Confirming releases the sheets at once: each candidate marked at this station "
        "sees their checklist, global rating and the examiner's comments. Undo hides them again.",
    )
)
