"""The committee's panel on one application: score, interview score, shortlist, slot, decision.

Kept apart from the view so the view stays short: forms_for() builds the forms (binding only
the one that was posted), act() runs the chosen action through a service.
"""

from __future__ import annotations

from django.http import Http404, QueryDict

from tutors.models import Application, InterviewSlot, RubricCriterion
from tutors.recruitment import selectors
from tutors.recruitment.forms import DecisionForm, ScoreForm
from tutors.recruitment.services.decisions import record_decisions
from tutors.recruitment.services.interviews import assign_slot
from tutors.recruitment.services.reviewing import score_application, score_interview, shortlist

Stage = RubricCriterion.Stage


def _mine(items, attr: str, user):
    return next((x for x in items if getattr(x, attr) == user.pk), None)


def _initial(score) -> dict:
    if score is None:
        return {}
    initial = {"comment": score.comment, **{f"c_{k}": v for k, v in score.scores.items()}}
    if hasattr(score, "recommendation"):
        initial["recommendation"] = score.recommendation
    return initial


def forms_for(app: Application, user, data: QueryDict, action: str | None) -> dict:
    criteria = list(app.round.criteria.all())

    def bound(name):
        return data if action == name else None

    review = [c for c in criteria if c.stage == Stage.REVIEW]
    interview = [c for c in criteria if c.stage == Stage.INTERVIEW]
    return {
        "score_form": ScoreForm(
            bound("review"),
            criteria=review,
            prefix="review",
            initial=_initial(_mine(app.reviews.all(), "reviewer_id", user)),
        ),
        "interview_form": ScoreForm(
            bound("interview"),
            criteria=interview,
            interview=True,
            prefix="interview",
            initial=_initial(_mine(app.interview_scores.all(), "interviewer_id", user)),
        ),
        "decision_form": DecisionForm(
            bound("decision"),
            prefix="decision",
            initial={
                "decision": app.decision or None,
                "message": app.decision_message,
                "feedback_note": app.feedback_note,
            },
        ),
    }


def act(user, app: Application, action: str, forms: dict, data: QueryDict) -> str | None:
    """Run the posted action; returns the success message, or None when its form is invalid."""
    if action == "review" and forms["score_form"].is_valid():
        form = forms["score_form"]
        score_application(user, app, form.scores(), form.cleaned_data["comment"])
        return "Your score is saved."
    if action == "interview" and forms["interview_form"].is_valid():
        form = forms["interview_form"]
        d = form.cleaned_data
        score_interview(user, app, form.scores(), d["recommendation"], d["comment"])
        return "Interview score saved."
    if action == "decision" and forms["decision_form"].is_valid():
        d = forms["decision_form"].cleaned_data
        record_decisions(
            user, [app], d["decision"], d["message"], d["feedback_note"], reason=d["reason"]
        )
        return "Decision recorded. It is sent when you release decisions."
    if action == "shortlist":
        shortlist(user, [app])
        return "Invited to interview."
    if action == "assign":
        slot = InterviewSlot.objects.filter(pk=data.get("slot") or 0, round=app.round).first()
        if slot is None:
            raise Http404
        assign_slot(user, app, slot)
        return "Interview slot assigned."
    return None


def context(app: Application, user) -> dict:
    round = app.round
    can_see = not round.hide_scores_until_scored or bool(
        _mine(app.reviews.all(), "reviewer_id", user)
    )
    return {
        "round": round,
        "app": app,
        "blind": round.blind_review,
        "can_see_scores": can_see,
        "reviews": app.reviews.all() if can_see else [],
        "slots": selectors.bookable_slots(app, by_committee=True),
    }
