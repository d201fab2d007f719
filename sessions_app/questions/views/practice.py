"""Practice pages: choose, answer one at a time (feedback at once) or as a block, progress."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from meded.errors import attempt
from meded.parsing import parse_id
from meded.roles import member_required
from sessions_app.questions import practice as services
from sessions_app.questions import selectors
from sessions_app.questions.forms import PracticeForm
from sessions_app.questions.models import LETTERS, PracticeSet


def _own_set(request, pk: int) -> PracticeSet:
    practice_set = get_object_or_404(PracticeSet, pk=pk)
    if practice_set.student_id != request.user.pk:
        raise Http404("No such practice set.")
    return practice_set


def _items(practice_set: PracticeSet):
    return list(
        practice_set.items.select_related("version__question").prefetch_related("version__topics")
    )


@member_required
def start(request):
    form = PracticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, practice_set = attempt(
            request, services.start_practice, request.user, **form.service_kwargs(), form=form
        )
        if ok:
            return redirect("sessions_app:practice_set", practice_set.pk)
    recent = PracticeSet.objects.filter(student=request.user)[:5]
    return render(
        request, "sessions_app/questions/practice_start.html", {"form": form, "recent": recent}
    )


@member_required
def practice_set(request, pk: int):
    """One-at-a-time: the first unanswered question (or the summary); a block: every question."""
    practice_set = _own_set(request, pk)
    items = _items(practice_set)
    if practice_set.mode == PracticeSet.Mode.ONE:
        pending = next((i for i in items if i.answered_at is None), None)
        if pending is not None:
            return redirect("sessions_app:practice_question", pk, pending.position)
    return render(
        request,
        "sessions_app/questions/practice_set.html",
        {
            "set": practice_set,
            "items": items,
            "marked": practice_set.finished_at is not None,
            "right": sum(1 for i in items if i.correct),
        },
    )


@member_required
def question(request, pk: int, position: int):
    practice_set = _own_set(request, pk)
    items = _items(practice_set)
    item = next((i for i in items if i.position == position), None)
    if item is None:
        raise Http404("No such question in this set.")
    error = ""
    if request.method == "POST" and item.answered_at is None:
        choice = request.POST.get("choice", "")
        if choice not in LETTERS:
            error = "Choose one of the options before checking your answer."
        else:
            _ok, _ = attempt(request, services.answer, request.user, practice_set, position, choice)
            return redirect("sessions_app:practice_question", pk, position)
    following = next((i for i in items if i.position > position and i.answered_at is None), None)
    return render(
        request,
        "sessions_app/questions/practice_question.html",
        {
            "set": practice_set,
            "item": item,
            "version": item.version,
            "total": len(items),
            "next_item": following,
            "error": error,
        },
        status=400 if error else 200,
    )


@require_POST
@member_required
def mark_block(request, pk: int):
    practice_set = _own_set(request, pk)
    choices = {}
    for key, value in request.POST.items():
        question_id = parse_id(key[1:]) if key.startswith("q") else None
        if question_id is not None and value in LETTERS:
            choices[question_id] = value
    attempt(request, services.answer_block, request.user, practice_set, choices)
    return redirect("sessions_app:practice_set", pk)


@member_required
def progress(request):
    return render(
        request,
        "sessions_app/questions/progress.html",
        {"topics": selectors.progress_by_topic(request.user)},
    )
