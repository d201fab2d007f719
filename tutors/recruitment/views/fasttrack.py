"""Fast-track pages: the committee sets a round's rule; a member sees it and where they stand."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect, render

from meded.errors import attempt
from meded.remember import member_key, minute, remember_html
from meded.roles import committee_required, member_required
from tutors.models import FastTrackRule, RecruitmentRound, TutorConcern
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
    """The open round's fast track, explained, and whether this member qualifies and why.

    The verdict reads the member's whole teaching record: remembered for the member and the
    minute (rounds open and close with the clock)."""
    parts = (*member_key(request.user), minute())
    body = remember_html(
        request, "fast-track", parts, "tutors/_fast_track_body.html", lambda: _standing(request)
    )
    return render(request, "tutors/fast_track.html", {"body": body})


def _standing(request) -> dict:
    round = open_round_for(request.user)
    rule = fasttrack.rule_for(round) if round else None
    verdict, _ = fasttrack.verdict_for(request.user, round) if rule else (None, {})
    return {
        "round": round,
        "rule": rule,
        "lines": fasttrack.describe(rule) if rule else [],
        "verdict": verdict,
    }


class ConcernForm(forms.Form):
    email = forms.EmailField(label="Tutor's email")
    summary = forms.CharField(max_length=200, label="The concern, in a few words")


@committee_required
def concerns(request):
    """Open concerns block a tutor's fast track until resolved; tutors never see this page."""
    form = ConcernForm(request.POST if request.POST.get("action") == "raise" else None)
    if request.POST.get("action") == "resolve":
        concern = get_object_or_404(TutorConcern, pk=request.POST.get("concern"))
        if attempt(request, fasttrack.resolve_concern, request.user, concern)[0]:
            messages.success(request, "Concern resolved.")
        return redirect("tutors_committee_concerns")
    if request.POST.get("action") == "raise" and form.is_valid():
        tutor = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if tutor is None:
            form.add_error("email", "No member has this email address.")
        else:
            ok, _ = attempt(
                request,
                fasttrack.raise_concern,
                request.user,
                tutor,
                form.cleaned_data["summary"],
                form=form,
            )
            if ok:
                messages.success(request, "Concern recorded.")
                return redirect("tutors_committee_concerns")
    return render(
        request,
        "tutors/committee/concerns.html",
        {
            "form": form,
            "concerns": TutorConcern.objects.select_related("tutor", "raised_by")[:200],
        },
    )
