"""A member's profile: their name and year of study, and the panels other apps add to it."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from meded.errors import attempt
from meded.parsing import parse_id
from meded.roles import committee_required, member_required
from meded.signals import collect, profile_panels

from . import committee, erasure, services
from .forms import AppointForm, DeleteAccountForm, EraseMemberForm, ProfileForm
from .models import User
from .personal_data import personal_data_zip


@member_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("profile")
    panels = collect(profile_panels, request=request)  # e.g. the private calendar feed link
    return render(request, "meded/profile.html", {"form": form, "profile_panels": panels})


@committee_required
def years_to_verify(request):
    """The committee approves the years members gave: only a verified year grants seniority."""
    if request.method == "POST":
        member = get_object_or_404(User, pk=parse_id(request.POST.get("member")))
        if request.POST.get("confirm") == "name":
            ok, done = attempt(request, services.confirm_name, request.user, member)
            if ok:
                messages.success(request, f"{done}: name confirmed for certificates.")
        else:
            ok, done = attempt(request, services.approve_year, request.user, member)
            if ok:
                messages.success(
                    request, f"{done}: year verified as {done.get_verified_year_display()}."
                )
        return redirect("committee_years")
    context = {"members": services.years_to_verify(), "names": services.names_to_confirm()}
    return render(request, "meded/years_to_verify.html", context)


@committee_required
def committee_roles(request):
    """Who is on the committee; another committee member appoints or stands a member down."""
    form = AppointForm(request.POST if request.POST.get("action") == "appoint" else None)
    if request.method == "POST" and request.POST.get("action") == "stand_down":
        member = get_object_or_404(
            committee.committee_members(), pk=parse_id(request.POST.get("member"))
        )
        ok, _ = attempt(request, committee.stand_down, request.user, member)
        if ok:
            messages.success(
                request, f"{member}: no longer on the committee, admin rights removed."
            )
        return redirect("committee_roles")
    if request.method == "POST" and form.is_valid():
        member = form.cleaned_data["email"]
        ok, _ = attempt(request, committee.appoint, request.user, member, form=form)
        if ok:
            messages.success(
                request, f"{member}: now on the committee, with the admin's staff rights."
            )
            return redirect("committee_roles")
    context = {
        "form": form,
        "members": committee.committee_members(),
        "admin_usable": committee.admin_usable(request.user),
    }
    return render(request, "meded/committee_roles.html", context)


@member_required
def my_data(request):
    """Download everything the society holds about me, as a ZIP (JSON plus my files)."""
    response = HttpResponse(personal_data_zip(request.user), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="my-personal-data.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@member_required
def delete_account(request):
    """The member deletes their account, confirming with their password."""
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["password"]
        ok, _ = attempt(request, erasure.erase_own_account, request.user, password, form=form)
        if ok:
            logout(request)
            messages.success(request, "Your account is deleted and your personal data erased.")
            return redirect("home")
    return render(request, "meded/delete_account.html", {"form": form})


@committee_required
def erase_member(request):
    """The committee erases a member's account: find them, preview what goes, confirm."""
    form = EraseMemberForm(request.POST or request.GET or None)
    preview = None
    if form.is_valid():
        member = User.objects.filter(email__iexact=form.cleaned_data["member"]).first()
        if member is None:
            form.add_error("member", "No member signs in with this address.")
        elif request.method == "POST":
            ok, _ = attempt(request, erasure.erase_by_committee, request.user, member, form=form)
            if ok:
                messages.success(request, "The account is erased: it is now a former member.")
                return redirect("committee_erase_member")
        else:
            ok, preview = attempt(request, erasure.preview, request.user, member, form=form)
    return render(request, "meded/erase_member.html", {"form": form, "preview": preview})
