"""A member's feedback: what awaits them, and the questionnaire."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render

from feedback.forms import AnswerForm
from feedback.selectors import eligibility
from feedback.services.questionnaires import form_for_session, questions_of
from feedback.services.responses import society_questions_for, submit_feedback
from meded.errors import attempt
from meded.roles import member_required
from sessions_app.models import TeachingSession
from sessions_app.scheduling.views.common import visible_session


@member_required
def mine(request):
    return render(
        request,
        "feedback/mine.html",
        {
            "awaiting": eligibility.awaiting(request.user),
            "answered": eligibility.answered(request.user),
        },
    )


@member_required
def answer(request, pk: int):
    # a draft does not exist for those who cannot see it: not even its title leaks here
    session = visible_session(
        request, pk, TeachingSession.objects.select_related("topic").prefetch_related("tutors")
    )
    allowed = eligibility.check(request.user, session)
    if not allowed.allowed:
        return render(
            request, "feedback/closed.html", {"session": session, "reason": allowed.reason}
        )
    tutors = list(session.tutors.all())
    form = AnswerForm(
        request.POST or None,
        questions=questions_of(form_for_session(session)),
        tutors=tutors,
        modes=allowed.modes,
        society=society_questions_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        ok, _response = attempt(
            request,
            submit_feedback,
            request.user,
            session,
            form.cleaned_data["mode"],
            form.answers(),
            form.society_answers(),
        )
        if ok:
            messages.success(request, f"Thank you: your feedback on {session.title} is saved.")
            return redirect("feedback:mine")
    return render(
        request,
        "feedback/answer.html",
        {
            "session": session,
            "form": form,
            "tutors": tutors,
            "eligibility": allowed,
            "min_responses": settings.MEDED_FEEDBACK_MIN_RESPONSES,
        },
    )
