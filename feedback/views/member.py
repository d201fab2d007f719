"""A member's feedback: what awaits them, and the questionnaire."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from feedback.forms import AnswerForm
from feedback.selectors import eligibility
from feedback.services.questionnaires import form_for_session, questions_of
from feedback.services.responses import society_questions_for, submit_feedback
from meded.errors import attempt
from meded.remember import CSRF_SENTINEL, member_parts, remember, remember_html, with_csrf
from meded.roles import member_required
from sessions_app.booking.fingerprint import member_bookings
from sessions_app.models import TeachingSession

ANSWERED_PAGE = 25


@member_required
def mine(request):
    """What awaits the member's feedback, and what they answered (latest first, 25 to a page);
    rendered once per member, page and minute, until a table it read is written (bookings: the
    member's own rows only, so others' bookings leave it in place)."""
    number = request.GET.get("page", "")
    body = remember_html(
        request,
        "feedback:mine",
        (*member_parts(request), number),
        "feedback/_mine.html",
        lambda: _mine(request.user, number),
        cover=member_bookings(request.user),
    )
    return render(request, "feedback/mine.html", {"body": body})


def _mine(user, number: str) -> dict:
    """Read by statements compiled once per process (the page is computed again after any
    write to the tables it read, and compiling cost more than running them)."""
    page = Paginator(eligibility.answered_rows(user), ANSWERED_PAGE).get_page(number)
    return {
        "awaiting": eligibility.awaiting_with_topics(user),
        "answered": list(page.object_list),
        "page": page,
    }


@member_required
def answer(request, pk: int):
    """The questionnaire (or why it is closed). A visit is rendered once per member, session and
    minute, until a table it read is written (bookings: the member's own rows only); a sent
    form is never cached."""
    if request.method != "POST":
        page = remember(
            "feedback:answer",
            (*member_parts(request), pk),
            lambda: _answer_page(request, pk),
            cover=member_bookings(request.user),
        )
        return _render(request, page)
    session, allowed, context = _questionnaire(request, pk)
    if not allowed.allowed:
        return _render(request, _page(request, "closed", session, context))
    form = context["form"]
    if form.is_valid():
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
    return _render(request, _page(request, "answer", session, context))


def _questionnaire(request, pk: int):
    """The session, whether the member may answer, and the page's context."""
    # a draft does not exist for those who cannot see it: not even its title leaks here
    # (sessions_app's visible_session, on a session read by a statement compiled once per
    # process: a cold questionnaire compiled a joined and a prefetching queryset)
    session = eligibility.session_with_tutors(pk)
    draft = session is not None and session.status == TeachingSession.Status.DRAFT
    if session is None or (draft and not session.is_run_by(request.user)):
        raise Http404("No such session.")
    allowed = eligibility.check(request.user, session)
    if not allowed.allowed:
        return session, allowed, {"session": session, "reason": allowed.reason}
    tutors = list(session.tutors.all())
    form = AnswerForm(
        request.POST or None,
        questions=questions_of(form_for_session(session)),
        tutors=tutors,
        modes=allowed.modes,
        society=society_questions_for(request.user),
    )
    context = {
        "session": session,
        "form": form,
        "tutors": tutors,
        "eligibility": allowed,
        "min_responses": settings.MEDED_FEEDBACK_MIN_RESPONSES,
    }
    return session, allowed, context


def _answer_page(request, pk: int) -> dict:
    session, allowed, context = _questionnaire(request, pk)
    return _page(request, "answer" if allowed.allowed else "closed", session, context)


def _page(request, name: str, session, context: dict) -> dict:
    """The page's body rendered with the CSRF sentinel (a plain dict: it may be cached)."""
    body = render_to_string(
        f"feedback/_{name}.html", {**context, "csrf_token": CSRF_SENTINEL}, request=request
    )
    return {"name": name, "title": session.title, "body": str(body)}


def _render(request, page: dict):
    body = mark_safe(with_csrf(request, page["body"]))
    context = {"session": {"title": page["title"]}, "body": body}
    return render(request, f"feedback/{page['name']}.html", context)
