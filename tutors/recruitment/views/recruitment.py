"""Applicant pages: the tutor home, applying, withdrawing, booking an interview."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from meded.errors import attempt
from meded.parsing import parse_id
from meded.remember import member_key, minute, remember, remember_html
from meded.roles import is_tutor, member_required
from tutors.home import tutor_links
from tutors.models import Application, InterviewSlot
from tutors.recruitment import selectors
from tutors.recruitment.apply_reads import application_to, earlier_application
from tutors.recruitment.forms import ApplicationForm
from tutors.recruitment.services.interviews import CHANGE_DEADLINE, book_slot, cancel_booking
from tutors.recruitment.services.recruitment import (
    open_round_for,
    save_application,
    withdraw_application,
)


@member_required
def home(request):
    """The member's applications and the open round: kept until they change or the minute turns
    (a round opens or closes)."""
    user = request.user
    content = remember_html(
        request,
        "tutors:home",
        (user.pk, is_tutor(user), minute()),
        "tutors/_home_content.html",
        lambda: {
            "applications": list(selectors.member_applications(user)),
            "open_round": open_round_for(user),
            "tutor_links": tutor_links(user),
        },
    )
    return render(request, "tutors/home.html", {"content": content})


@member_required
def apply(request):
    if request.method == "POST":
        round, application = _round_and_application(request.user)
    else:  # a visit: which page to show is remembered too (the round opens with the clock)
        round, application = remember(
            "apply-state",
            (request.user.pk, minute()),
            lambda: _round_and_application(request.user),
        )
    if round is None:
        return render(
            request,
            "tutors/apply_closed.html",
            {"applications": selectors.member_applications(request.user)},
        )
    if application and not application.is_open_for_edit:
        return render(
            request, "tutors/apply_status.html", {"application": application, "round": round}
        )
    # Once submitted, every save is checked like a submission (no emptying it as a "draft").
    draft = "save_draft" in request.POST and (
        application is None or application.status == Application.Status.DRAFT
    )
    earlier = None
    if request.method == "POST":
        form = ApplicationForm(
            request.POST, request.FILES, round=round, application=application, draft=draft
        )
        if form.is_valid():
            fields, answers = form.service_arguments()
            ok, _ = attempt(
                request, save_application, request.user, round, fields, answers, submit=not draft
            )
            if ok:
                messages.success(
                    request,
                    "Draft saved."
                    if draft
                    else "Application submitted. We have emailed you a receipt.",
                )
                return redirect("tutors_apply")
    else:
        # The blank (or draft) form: remembered for the member and the minute (the round closes
        # with the clock); the round and application are read again inside, so a change to
        # either drops the entry.
        body = remember_html(
            request,
            "apply",
            (*member_key(request.user), round.pk, minute()),
            "tutors/_apply_body.html",
            lambda: _blank_application(request.user),
        )
        return render(request, "tutors/apply.html", {"body": body, "round": round})
    return render(
        request,
        "tutors/apply.html",
        {"form": form, "round": round, "application": application, "prefilled_from": earlier},
    )


def _round_and_application(member) -> tuple:
    """The round open to the member now, and their application to it (if any)."""
    round = open_round_for(member)
    application = None
    if round is not None:
        application = application_to(round.pk, member.pk)  # compiled once per process
        if application is not None:
            application.round = round  # read once
    return round, application


def _blank_application(member) -> dict:
    """A first visit starts from the member's profile (their year of study) and from what they
    wrote in their latest application to an earlier round, to check and change."""
    round, application = _round_and_application(member)
    initial, earlier = {}, None
    if application is None:
        initial = {"year_of_study": member.year_of_study}
        earlier = earlier_application(member.pk, round.pk)
        if earlier:
            for name in ("motivation", "experience", "strengths", "availability"):
                initial[name] = getattr(earlier, name)
    form = ApplicationForm(round=round, application=application, initial=initial)
    return {"form": form, "round": round, "application": application, "prefilled_from": earlier}


@member_required
@require_POST
def withdraw(request, pk):
    application = get_object_or_404(Application, pk=pk, applicant=request.user)
    ok, _ = attempt(request, withdraw_application, request.user, application)
    if ok:
        messages.success(request, "Your application has been withdrawn.")
    return redirect("tutors_home")


@member_required
def interview(request, pk):
    application = get_object_or_404(
        Application.objects.select_related("round", "interview_booking__slot"),
        pk=pk,
        applicant=request.user,
    )
    if request.method == "POST":
        if "cancel" in request.POST:
            ok, _ = attempt(request, cancel_booking, request.user, application)
            done = "Your interview booking is cancelled."
        else:
            slot = get_object_or_404(
                InterviewSlot, pk=parse_id(request.POST.get("slot")), round=application.round
            )
            ok, _ = attempt(request, book_slot, request.user, application, slot)
            done = "Interview booked. We have emailed you the details with a calendar file."
        if ok:
            messages.success(request, done)
        return redirect("tutors_interview", pk=pk)
    booking = getattr(application, "interview_booking", None)
    return render(
        request,
        "tutors/interview.html",
        {
            "application": application,
            "slots": selectors.bookable_slots(application),
            "booking": booking,
            "can_change": booking is not None
            and booking.slot.starts_at - timezone.now() >= CHANGE_DEADLINE,
        },
    )
