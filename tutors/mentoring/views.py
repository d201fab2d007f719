"""Mentoring pages: the member's (offer, ask, your pairing, check-in, ask for a change) and the
committee's (schemes, matching with explanations, locks, introductions with a preview)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from meded.errors import attempt
from meded.parsing import parse_id
from meded.remember import remember_html
from meded.roles import committee_required, member_required

from . import selectors, services
from .forms import ChangeForm, OfferForm, RequestForm, SchemeForm
from .models import ChangeRequest, CheckIn, MentoringScheme, MentorOffer, MentorPair


@member_required
def home(request):
    """The member's own pairings and sign-ups: kept until any of it changes."""
    user = request.user
    content = remember_html(
        request,
        "mentoring:home",
        (user.pk,),
        "tutors/mentoring/_home_content.html",
        lambda: {
            "user": user,
            "schemes": selectors.open_schemes_for_member(user),  # compiled once per process
            "pairs": selectors.member_pairs(user),
        },
    )
    return render(request, "tutors/mentoring/home.html", {"content": content})


def _scheme_open(pk):
    return get_object_or_404(selectors.open_schemes(), pk=pk)


@member_required
def offer(request, pk: int):
    scheme = _scheme_open(pk)
    current = MentorOffer.objects.filter(scheme=scheme, mentor=request.user).first()
    initial = {"capacity": current.capacity, "topics": current.topics} if current else None
    form = OfferForm(request.POST or None, scheme=scheme, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, _ = attempt(
            request,
            services.offer_to_mentor,
            request.user,
            scheme,
            d["capacity"],
            d["topics"],
            d["note"],
            form=form,
        )
        if ok:
            messages.success(request, "Thank you: your offer is in.")
            return redirect("mentoring_home")
    return render(
        request, "tutors/mentoring/form.html", {"scheme": scheme, "form": form, "offer": True}
    )


@member_required
def ask(request, pk: int):
    scheme = _scheme_open(pk)
    form = RequestForm(request.POST or None, scheme=scheme)
    if request.method == "POST" and form.is_valid():
        ok, _ = attempt(
            request,
            services.ask_for_mentor,
            request.user,
            scheme,
            form.priorities(),
            form.cleaned_data["note"],
            form=form,
        )
        if ok:
            messages.success(request, "Your request is in. We will introduce you by email.")
            return redirect("mentoring_home")
    return render(
        request, "tutors/mentoring/form.html", {"scheme": scheme, "form": form, "offer": False}
    )


@member_required
@require_POST
def withdraw(request, pk: int):
    scheme = _scheme_open(pk)
    if attempt(request, services.withdraw, request.user, scheme)[0]:
        messages.success(request, "Withdrawn.")
    return redirect("mentoring_home")


@member_required
def check_in(request, pk: int):
    """Two clicks: the link in the email, then Yes or Not yet."""
    item = get_object_or_404(CheckIn.objects.select_related("pair__mentor", "pair__mentee"), pk=pk)
    if request.user.pk not in (item.pair.mentor_id, item.pair.mentee_id):
        raise Http404
    if request.method == "POST":
        ok, _ = attempt(
            request, services.answer_check_in, request.user, item, request.POST.get("met") == "yes"
        )
        if ok:
            messages.success(request, "Thanks. Nothing else to do.")
            return redirect("mentoring_home")
    return render(request, "tutors/mentoring/check_in.html", {"item": item})


@member_required
def change(request, pk: int):
    pair = get_object_or_404(MentorPair, pk=pk, mentee=request.user, ended_at__isnull=True)
    form = ChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, _ = attempt(
            request,
            services.request_change,
            request.user,
            pair,
            form.cleaned_data["reason"],
            form=form,
        )
        if ok:
            messages.success(
                request, "The committee has your request. Your mentor has not been told."
            )
            return redirect("mentoring_home")
    return render(request, "tutors/mentoring/change.html", {"pair": pair, "form": form})


# ----- committee -----------------------------------------------------------------------------


@committee_required
def schemes(request):
    form = SchemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, scheme = attempt(
            request,
            services.create_scheme,
            request.user,
            d["name"],
            d["kind"],
            d["check_in_weeks"],
            form=form,
        )
        if ok:
            return redirect("mentoring_committee_scheme", pk=scheme.pk)
    return render(
        request,
        "tutors/mentoring/committee_schemes.html",
        {"schemes": selectors.schemes_with_counts(), "form": form},
    )


@committee_required
def scheme(request, pk: int):
    scheme = get_object_or_404(MentoringScheme, pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    users = get_user_model().objects
    if action == "match":
        if attempt(request, services.run_matching, request.user, scheme)[0]:
            messages.success(request, "Matched. Check the pairs, lock or forbid, then introduce.")
        return redirect(request.path)
    if action in ("lock", "forbid", "clear"):
        mentor = get_object_or_404(users, pk=parse_id(request.POST.get("mentor")))
        mentee = get_object_or_404(users, pk=parse_id(request.POST.get("mentee")))
        kind = None if action == "clear" else action
        if attempt(request, services.set_rule, request.user, scheme, mentor, mentee, kind)[0]:
            messages.success(request, "Saved; it applies when you run the matching again.")
        return redirect(request.path)
    if action == "introduce":
        # two people per pair are emailed: the preview (who, what), confirm, undo window
        return redirect(
            "committee_mailing_new", action="tutors.introduce_mentoring", target_id=scheme.pk
        )
    if action == "resolve":
        change = get_object_or_404(
            ChangeRequest, pk=parse_id(request.POST.get("change")), pair__scheme=scheme
        )
        new = request.POST.get("new_mentor")
        mentor = get_object_or_404(users, pk=parse_id(new)) if new else None
        if mentor is None:
            if attempt(request, services.resolve_change, request.user, change, None)[0]:
                messages.success(request, "Change request resolved.")
        elif attempt(request, services.choose_new_mentor, request.user, change, mentor)[0]:
            # two people are introduced: the preview (who, what), confirm, undo window
            return redirect(
                "committee_mailing_new", action="tutors.mentoring_new_pair", target_id=change.pk
            )
        return redirect(request.path)
    preview = request.GET.get("preview") == "introduce"
    return render(
        request,
        "tutors/mentoring/committee_scheme.html",
        {
            "scheme": scheme,
            **selectors.scheme_detail(scheme),
            "preview": services.introduction_preview(scheme) if preview else None,
        },
    )
