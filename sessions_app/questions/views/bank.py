"""Writing, reviewing and managing questions: tutors, reviewers and the committee."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from meded.accounts.models import User
from meded.curriculum.models import Module
from meded.errors import attempt
from meded.exports import csv_response
from meded.parsing import parse_id
from meded.remember import remember_html
from meded.roles import TUTORS_GROUP, committee_required, is_committee, member_required
from sessions_app.questions import bank as services
from sessions_app.questions import importing, selectors
from sessions_app.questions.forms import FlagForm, ImportForm, QuestionForm, ReviewForm
from sessions_app.questions.models import (
    ExamAttempt,
    PracticeAnswer,
    Question,
    QuestionFlag,
    QuestionReviewer,
    QuestionVersion,
)
from sessions_app.questions.permissions import (
    can_edit,
    can_review,
    can_see_draft,
    can_write,
    is_reviewer,
)
from sessions_app.questions.views.listing import remembered_page
from sessions_app.resources.file_serving import serve_private_file


def _writer(request) -> None:
    if not can_write(request.user):
        raise PermissionDenied("Questions are written by tutors and the committee.")


@member_required
def hub(request):
    """Everything about questions for this member, by role."""
    user = request.user
    reviewer = is_reviewer(user)
    context = {
        "can_write": can_write(user),
        "is_reviewer": reviewer,
        "is_committee": is_committee(user),
        **selectors.hub_summary(user, reviewer=reviewer),
    }
    return render(request, "sessions_app/questions/hub.html", context)


@member_required
def mine(request):
    _writer(request)
    user = request.user
    listing = remember_html(
        request,
        "questions.mine",
        (user.pk, request.GET.urlencode()),
        "sessions_app/questions/_mine_list.html",
        lambda: {"page": selectors.my_questions_page(user, request.GET.get("page"))},
    )
    return render(request, "sessions_app/questions/mine.html", {"listing": listing})


@member_required
def new(request):
    _writer(request)
    form = QuestionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        ok, question = attempt(
            request,
            services.create_question,
            request.user,
            form.content(),
            submit="submit" in request.POST,
            form=form,
        )
        if ok:
            messages.success(request, f"Q{question.pk} saved: {question.get_status_display()}.")
            return redirect(question)
    return render(request, "sessions_app/questions/form.html", {"form": form})


def _visible(request, pk: int) -> Question:
    try:
        question = selectors.question_page(pk)
    except Question.DoesNotExist as exc:
        raise Http404("No such question.") from exc
    if not can_see_draft(request.user, question):
        raise PermissionDenied("Drafts are private to their author; this question is not yours.")
    return question


@member_required
def detail(request, pk: int):
    question = _visible(request, pk)
    return render(
        request,
        "sessions_app/questions/detail.html",
        {
            "question": question,
            "version": question.latest_version,
            "can_edit": can_edit(request.user, question),
            "can_review": can_review(request.user, question)
            and question.status == Question.Status.IN_REVIEW,
            "can_retire": question.status != Question.Status.RETIRED
            and (is_committee(request.user) or question.author_id == request.user.pk),
            "review_form": ReviewForm(),
            "is_author": question.author_id == request.user.pk,
        },
    )


@member_required
def edit(request, pk: int):
    question = _visible(request, pk)
    if not can_edit(request.user, question):
        raise PermissionDenied("Only the author or the committee edit a question.")
    initial = QuestionForm.initial_from(question.latest_version)
    form = QuestionForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, version = attempt(
            request, services.edit_question, request.user, question, form.content(), form=form
        )
        if ok:
            messages.success(request, f"Saved as version {version.number}.")
            return redirect(question)
    return render(request, "sessions_app/questions/form.html", {"form": form, "question": question})


@require_POST
@member_required
def submit(request, pk: int):
    question = get_object_or_404(Question, pk=pk)
    if attempt(request, services.submit_for_review, request.user, question)[0]:
        messages.success(request, "Sent to review. A reviewer who did not write it will decide.")
    return redirect(question)


@require_POST
@member_required
def review(request, pk: int):
    question = get_object_or_404(Question, pk=pk)
    if not can_review(request.user, question):
        raise PermissionDenied("Only a reviewer who did not write this question reviews it.")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose approve, return or reject.")
        return redirect(question)
    ok, result = attempt(
        request,
        services.review_question,
        request.user,
        question,
        form.cleaned_data["decision"],
        form.cleaned_data["comments"],
    )
    if ok:
        messages.success(request, f"Q{question.pk}: {result.get_decision_display().lower()}.")
        return redirect("sessions_app:question_queue")
    return redirect(question)


@require_POST
@member_required
def retire(request, pk: int):
    question = get_object_or_404(Question, pk=pk)
    if attempt(request, services.retire_question, request.user, question)[0]:
        messages.success(request, f"Q{question.pk} retired; its history is kept.")
    return redirect(question)


def can_view_image(user, version: QuestionVersion) -> bool:
    """Its writers and reviewers; a student who was given this version to answer."""
    if can_see_draft(user, version.question):
        return True
    if PracticeAnswer.objects.filter(practice_set__student=user, version=version).exists():
        return True
    return ExamAttempt.objects.filter(student=user, paper__items__version=version).exists()


@member_required
def image(request, version_pk: int):
    version = get_object_or_404(QuestionVersion.objects.select_related("question"), pk=version_pk)
    if not version.image or not can_view_image(request.user, version):
        raise Http404("No such image.")
    name = version.image.name.rsplit("/", 1)[-1]
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return serve_private_file(
        request, version.image, filename=name, content_type=content_type, as_attachment=False
    )


@member_required
def flag(request, pk: int):
    question = get_object_or_404(Question.objects.select_related("live_version"), pk=pk)
    if not question.in_use:
        raise Http404("This question is no longer in use.")
    form = FlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _ = attempt(
            request,
            services.flag_question,
            request.user,
            question,
            form.cleaned_data["reason"],
            form.cleaned_data["comment"],
            form=form,
        )
        if ok:
            messages.success(request, "Thank you: a reviewer will look at this question.")
            return redirect(_safe_next(request) or "sessions_app:questions")
    return render(
        request,
        "sessions_app/questions/flag.html",
        {"form": form, "question": question, "next": _safe_next(request)},
    )


def _safe_next(request) -> str:
    nxt = request.GET.get("next") or request.POST.get("next") or ""
    if "\x00" in nxt or not nxt.startswith("/"):
        return ""
    return nxt if url_has_allowed_host_and_scheme(nxt, allowed_hosts=None) else ""


@member_required
def queue(request):
    if not is_reviewer(request.user):
        raise PermissionDenied("The review queue is for question reviewers and the committee.")
    user = request.user
    listing = remember_html(
        request,
        "questions.queue",
        (user.pk,),
        "sessions_app/questions/_queue_lists.html",
        lambda: {
            "questions": list(selectors.review_queue(user)[:100]),
            "flags": list(selectors.open_flags(user)[:100]),
        },
    )
    return render(request, "sessions_app/questions/queue.html", {"listing": listing})


@require_POST
@member_required
def resolve_flag(request, flag_pk: int):
    item = get_object_or_404(QuestionFlag.objects.select_related("question"), pk=flag_pk)
    if attempt(request, services.resolve_flag, request.user, item)[0]:
        messages.success(request, "Flag resolved.")
    return redirect("sessions_app:question_queue")


@committee_required
def reviewers(request):
    if request.method == "POST":
        tutor = get_object_or_404(User, pk=parse_id(request.POST.get("user")))
        on = request.POST.get("on") == "1"
        if attempt(request, services.set_reviewer, request.user, tutor, on)[0]:
            messages.success(
                request, f"{tutor.get_full_name()} {'is now' if on else 'is no longer'} a reviewer."
            )
        return redirect("sessions_app:question_reviewers")
    marked = set(QuestionReviewer.objects.values_list("user_id", flat=True))
    tutors = User.objects.filter(groups__name=TUTORS_GROUP).order_by("full_name")
    return render(
        request,
        "sessions_app/questions/reviewers.html",
        {"tutors": [(t, t.pk in marked) for t in tutors]},
    )


@committee_required
def bank_list(request):
    status = request.GET.get("status", "")
    if status not in Question.Status.values:
        status = ""
    module = request.GET.get("module", "")
    module_id = parse_id(module)
    questions = selectors.bank(status, module_id)
    if request.GET.get("format") == "csv":
        return csv_response(
            "questions.csv", importing.HEADER, importing.export_rows(questions.order_by("pk"))
        )
    listing = remembered_page(
        request,
        "bank",
        ("committee",),
        "sessions_app/questions/_bank_list.html",
        lambda: questions,
        statuses=Question.Status.choices,
        status=status,
        modules=Module.objects.all(),
        module_id=module_id,
        query=request.GET.urlencode(),
    )
    return render(request, "sessions_app/questions/bank.html", {"listing": listing})


@committee_required
def import_page(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            added = importing.import_questions(
                form.cleaned_data["file"], request.user, publish=form.cleaned_data["publish"]
            )
        except importing.QuestionImportError as exc:
            problems = exc.problems
            form.add_error(
                "file", f"{len(problems)} problem(s) found, listed below; nothing was imported."
            )
        else:
            state = "published" if form.cleaned_data["publish"] else "awaiting review"
            messages.success(request, f"{added} question(s) added, {state}.")
            return redirect("sessions_app:question_bank")
    return render(
        request,
        "sessions_app/questions/import.html",
        {"form": form, "problems": problems, "header": ",".join(importing.HEADER)},
    )
