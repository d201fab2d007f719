"""The committee edits feedback forms per round and kind."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from feedback.forms import CopyFormForm, QuestionFormSet
from feedback.models import FeedbackForm
from feedback.services.questionnaires import (
    copy_for_round_checked,
    ensure_default_form,
    save_questions,
)
from meded.errors import attempt
from meded.roles import committee_required


@committee_required
def form_list(request, copy_form=None):
    ensure_default_form()
    forms_qs = (
        FeedbackForm.objects.select_related("round")
        .annotate(n_questions=Count("questions"))
        .order_by("round__applications_open", "kind", "pk")
    )
    return render(
        request,
        "feedback/forms_list.html",
        {"forms": forms_qs, "copy_form": copy_form or CopyFormForm()},
    )


@committee_required
@require_POST
def form_copy(request):
    form = CopyFormForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        ok, copy = attempt(
            request,
            copy_for_round_checked,
            request.user,
            data["source"],
            data["round"],
            data["kind"],
        )
        if ok:
            messages.success(request, f"Created {copy.name}. Edit its questions below.")
            return redirect("feedback:form_edit", pk=copy.pk)
    return form_list(request, copy_form=form)


@committee_required
def form_edit(request, pk: int):
    fb_form = get_object_or_404(FeedbackForm.objects.select_related("round"), pk=pk)
    formset = QuestionFormSet(request.POST or None, instance=fb_form)
    if request.method == "POST" and formset.is_valid():
        ok, _saved = attempt(request, save_questions, request.user, fb_form, formset)
        if ok:
            messages.success(request, "Questions saved.")
            return redirect("feedback:form_edit", pk=fb_form.pk)
    return render(request, "feedback/form_edit.html", {"fb_form": fb_form, "formset": formset})
