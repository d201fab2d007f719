"""The committee's topic offerings of a round: create from the curriculum, edit, remove."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from meded.errors import attempt
from meded.remember import page_parts, remember_html
from meded.roles import committee_required
from tutors.allocation import selectors as sel
from tutors.allocation.forms import BulkOfferingsForm, OfferingForm
from tutors.allocation.services import offerings as offering_service
from tutors.models import Offering, RecruitmentRound


@committee_required
def offerings(request, round_id: int):
    round = get_object_or_404(RecruitmentRound, pk=round_id)
    form = BulkOfferingsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, counts = attempt(
            request, offering_service.create_from_curriculum, round, **form.cleaned_data
        )
        if ok:
            created, skipped = counts
            messages.success(
                request, f"{created} offering(s) created; {skipped} already offered (unchanged)."
            )
            return redirect("tutors_offerings", round_id=round.pk)

    def context() -> dict:
        here = get_object_or_404(RecruitmentRound, pk=round_id)  # read while remembering
        return {
            "round": here,
            "form": form if form.is_bound else BulkOfferingsForm(),
            "offerings": [_with_controls(o) for o in sel.offerings_for(here)],
        }

    parts = page_parts(request, round.pk)
    body = remember_html(
        request, "tutors_offerings", parts, "tutors/_offerings_list_body.html", context
    )
    return render(request, "tutors/offerings_list.html", {"round": round, "body": body})


def _with_controls(offering: Offering) -> Offering:
    """Each row's form, address and options written once in Python: a round of a hundred
    topics looped its options through the template language row by row, when nothing was
    remembered (the HTML is the same)."""
    offering.edit_url = reverse("tutors_offering_edit", args=[offering.round_id, offering.pk])
    offering.format_options = _options(Offering.Format.choices, offering.format)
    years = [(n, f"Year {n} or later") for n in "23456"]
    offering.year_options = _options(years, str(offering.min_tutor_year))
    return offering


def _options(choices, chosen: str) -> str:
    return mark_safe(
        "".join(
            f'<option value="{escape(v)}"{" selected" if v == chosen else ""}>{escape(label)}'
            "</option>"
            for v, label in choices
        )
    )


@committee_required
@require_POST
def offering_edit(request, round_id: int, pk: int):
    offering = get_object_or_404(Offering, pk=pk, round_id=round_id)
    if request.POST.get("delete"):
        ok, _ = attempt(request, offering_service.delete_offering, offering)
        done = f"{offering.topic.code} removed."
    else:
        form = OfferingForm(request.POST, instance=Offering.objects.get(pk=offering.pk))
        if not form.is_valid():
            problems = [e for errors in form.errors.values() for e in errors]
            messages.error(request, f"{offering.topic.code} not changed: {' '.join(problems)}")
            return redirect("tutors_offerings", round_id=round_id)
        ok, _ = attempt(request, offering_service.update_offering, offering, **form.cleaned_data)
        done = f"{offering.topic.code} updated."
    if ok:
        messages.success(request, done)
    return redirect("tutors_offerings", round_id=round_id)
