"""Fast-track pages: the committee sets a round's rule; a member sees it and where they stand."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from meded.errors import attempt
from meded.roles import committee_required, member_required
from tutors.models import FastTrackRule, RecruitmentRound
from tutors.recruitment.services import fasttrack
from tutors.recruitment.services.recruitment import open_round_for


class FastTrackRuleForm(forms.ModelForm):
    class Meta:
        model = FastTrackRule
        fields = [
            "enabled",
            "min_sessions",
            "min_responses",
            "min_mean",
            "min_observation_level",
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


@committee_required
def rule(request, pk: int):
    round = get_object_or_404(RecruitmentRound, pk=pk)
    instance = FastTrackRule.objects.filter(round=round).first() or FastTrackRule(round=round)
    form = FastTrackRuleForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        ok, _ = attempt(
            request, fasttrack.save_rule, request.user, round, form.cleaned_data, form=form
        )
        if ok:
            messages.success(request, "Fast-track rule saved.")
            return redirect("tutors_committee_fast_track", pk=round.pk)
    fast = round.applications.filter(fast_track=True).select_related("applicant")
    return render(
        request,
        "tutors/committee/fast_track.html",
        {"round": round, "form": form, "rule": instance, "fast_tracked": fast},
    )


@member_required
def standing(request):
    """The open round's fast track, explained, and whether this member qualifies and why."""
    round = open_round_for(request.user)
    rule = fasttrack.rule_for(round) if round else None
    verdict, _ = fasttrack.verdict_for(request.user, round) if rule else (None, {})
    return render(
        request,
        "tutors/fast_track.html",
        {
            "round": round,
            "rule": rule,
            "lines": fasttrack.describe(rule) if rule else [],
            "verdict": verdict,
        },
    )
