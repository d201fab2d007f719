"""A member's profile: their name and year of study, and the panels other apps add to it."""

from django.contrib import messages
from django.shortcuts import redirect, render

from meded.roles import member_required
from meded.signals import collect, profile_panels

from .forms import ProfileForm


@member_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("profile")
    panels = collect(profile_panels, request=request)  # e.g. the private calendar feed link
    return render(request, "meded/profile.html", {"form": form, "profile_panels": panels})
