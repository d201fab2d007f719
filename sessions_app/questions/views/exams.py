"""Mock-exam pages: the committee's papers, a student's sitting (saved answer by answer), the
results once released, and the statistics."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from meded.curriculum.models import Module
from meded.errors import DomainError, attempt
from meded.parsing import parse_id
from meded.remember import minute
from meded.roles import committee_required, member_required
from sessions_app.booking.fingerprint import member_bookings
from sessions_app.questions import bank, exams, selectors
from sessions_app.questions.forms import BlueprintForm, FixedQuestionsForm, PaperForm
from sessions_app.questions.mailings import RESULTS
from sessions_app.questions.models import ExamAttempt, ExamPaper, PaperItem, Question
from sessions_app.questions.paper_pdf import paper_pdf
from sessions_app.questions.views.listing import remembered_page


@committee_required
def papers(request):
    listing = remembered_page(
        request,
        "papers",
        ("committee",),
        "sessions_app/questions/_papers_list.html",
        selectors.papers,
    )
    return render(request, "sessions_app/questions/papers.html", {"listing": listing})


@committee_required
def paper_new(request):
    form = PaperForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, paper = attempt(
            request, exams.create_paper, request.user, **form.cleaned_data, form=form
        )
        if ok:
            messages.success(request, "Paper created; now add its questions.")
            return redirect(paper)
    return render(request, "sessions_app/questions/paper_form.html", {"form": form})


@committee_required
def paper_manage(request, pk: int):
    paper = get_object_or_404(ExamPaper.objects.select_related("session"), pk=pk)
    modules = list(Module.objects.all())
    action = request.POST.get("action") if request.method == "POST" else None
    details = PaperForm(
        request.POST if action == "details" else None,
        initial={
            "title": paper.title,
            "session": paper.session,
            "time_limit_minutes": paper.time_limit_minutes,
        },
        current_session=paper.session_id,
    )
    fixed = FixedQuestionsForm(request.POST if action == "fixed" else None)
    blueprint = BlueprintForm(request.POST if action == "blueprint" else None, modules=modules)
    if action == "details" and details.is_valid():
        if attempt(
            request, exams.update_paper, request.user, paper, **details.cleaned_data, form=details
        )[0]:
            messages.success(request, "Paper saved.")
            return redirect(paper)
    elif action == "fixed" and fixed.is_valid():
        ok, n = attempt(
            request,
            exams.add_questions,
            request.user,
            paper,
            fixed.cleaned_data["question_ids"],
            form=fixed,
        )
        if ok:
            messages.success(request, f"{n} question(s) added.")
            return redirect(paper)
    elif action == "blueprint" and blueprint.is_valid():
        ok, n = attempt(
            request,
            exams.draw_blueprint,
            request.user,
            paper,
            blueprint.per_module(),
            form=blueprint,
        )
        if ok:
            messages.success(request, f"{n} question(s) drawn.")
            return redirect(paper)
    elif action == "withdraw":
        exams.withdraw_results(request.user, paper)
        messages.success(request, "Results withdrawn.")
        return redirect(paper)
    elif action == "remove":
        item = get_object_or_404(PaperItem, pk=parse_id(request.POST.get("item")), paper=paper)
        if attempt(request, exams.remove_item, request.user, item)[0]:
            messages.success(request, "Question removed from the paper.")
        return redirect(paper)
    return render(
        request,
        "sessions_app/questions/paper_manage.html",
        {
            "paper": paper,
            "items": selectors.paper_items(paper),
            "details": details,
            "fixed": fixed,
            "blueprint": blueprint,
            "n_attempts": paper.attempts.count(),
            "release_action": RESULTS,
        },
    )


@committee_required
def paper_statistics(request, pk: int):
    paper = get_object_or_404(ExamPaper.objects.select_related("session"), pk=pk)
    if request.method == "POST":
        question = get_object_or_404(Question, pk=parse_id(request.POST.get("question")))
        bank.flag_from_statistics(question, request.POST.get("why", "")[:500] or "Statistics")
        messages.success(request, f"Q{question.pk} sent to the review queue.")
        return redirect("sessions_app:exam_statistics", pk)
    return render(
        request,
        "sessions_app/questions/statistics.html",
        {"paper": paper, **selectors.paper_statistics(paper)},
    )


@committee_required
def paper_download(request, pk: int):
    paper = get_object_or_404(ExamPaper.objects.select_related("session"), pk=pk)
    with_key = request.GET.get("key") == "1"
    data = paper_pdf(paper, selectors.paper_items(paper), with_key=with_key)
    response = HttpResponse(data, content_type="application/pdf")
    name = f"paper-{paper.pk}{'-with-key' if with_key else ''}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# -- the student's side ------------------------------------------------------------------------


@member_required
def my_exams(request):
    """Newest first, a page at a time; "open now" changes with the clock, so the minute is in
    the key."""
    user = request.user
    listing = remembered_page(
        request,
        "my_exams",
        (user.pk, minute()),
        "sessions_app/questions/_my_exams_list.html",
        lambda: selectors.my_exam_papers(user).order_by("-session__starts_at", "-pk"),
        shape=selectors.exam_rows,
        cover=member_bookings(user),  # its booking reads: the member's own rows only
    )
    return render(request, "sessions_app/questions/my_exams.html", {"listing": listing})


def _paper(pk: int) -> ExamPaper:
    return get_object_or_404(ExamPaper.objects.select_related("session"), pk=pk)


@member_required
def sit(request, pk: int):
    """The start page, the sitting itself, or (after it) the way to the results."""
    paper = _paper(pk)
    now = timezone.now()
    attempt_ = ExamAttempt.objects.filter(paper=paper, student=request.user).first()
    if request.method == "POST" and attempt_ is None:
        _ok, attempt_ = attempt(request, exams.start_attempt, request.user, paper, now)
        return redirect("sessions_app:exam_sit", pk)
    if (
        attempt_ is not None
        and attempt_.submitted_at is None
        and now > attempt_.deadline + exams.GRACE
    ):
        exams.close_overdue(now)
        attempt_.refresh_from_db()
    if attempt_ is None or attempt_.submitted_at is not None:
        return render(
            request,
            "sessions_app/questions/sit_start.html",
            {
                "paper": paper,
                "attempt": attempt_,
                "refusal": None if attempt_ else exams.sitting_refusal(request.user, paper, now),
            },
        )
    chosen = dict(attempt_.answers.values_list("item_id", "chosen"))
    items = [(item, chosen.get(item.pk)) for item in selectors.paper_items(paper)]
    return render(
        request,
        "sessions_app/questions/sit.html",
        {
            "paper": paper,
            "attempt": attempt_,
            "items": items,
            "n_answered": len(chosen),
            "remaining": max(0, int((attempt_.deadline - now).total_seconds())),
        },
    )


@require_POST
@member_required
def save_answer(request, pk: int):
    """One answer (JSON for the page's script; a redirect for a form without script). The
    response says only what was saved, never whether it was right."""
    paper = _paper(pk)
    item = request.POST.get("item", "")
    try:
        saved = exams.save_answer(
            request.user, paper, parse_id(item) or 0, request.POST.get("choice", "")
        )
    except DomainError as exc:
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse({"saved": False, "error": str(exc)}, status=409)
        messages.error(request, str(exc))
        return redirect("sessions_app:exam_sit", pk)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse(
            {
                "saved": True,
                "item": saved.item_id,
                "choice": saved.chosen,
                "saved_at": saved.saved_at.isoformat(),
            }
        )
    return redirect("sessions_app:exam_sit", pk)


@require_POST
@member_required
def save_all(request, pk: int):
    """Without script: every choice on the page saved at once (the same rule per answer)."""
    paper = _paper(pk)
    for key, value in request.POST.items():
        item_id = parse_id(key.removeprefix("item-")) if key.startswith("item-") else None
        if item_id is not None and value:
            ok, _ = attempt(request, exams.save_answer, request.user, paper, item_id, value)
            if not ok:
                break
    finish = request.POST.get("finish") == "1"
    if finish and attempt(request, exams.submit, request.user, paper)[0]:
        messages.success(request, "Submitted. Your results appear here once released.")
    return redirect("sessions_app:exam_sit", pk)


@member_required
def results(request, pk: int):
    paper = _paper(pk)
    attempt_ = ExamAttempt.objects.filter(paper=paper, student=request.user).first()
    if attempt_ is None:
        raise Http404("You did not sit this paper.")
    if not paper.released:
        raise PermissionDenied("The results of this paper are not released yet.")
    if attempt_.submitted_at is None:
        raise PermissionDenied("Submit the exam first.")
    return render(
        request,
        "sessions_app/questions/results.html",
        {"paper": paper, "attempt": attempt_, **selectors.student_result(paper, attempt_)},
    )
