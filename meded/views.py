"""Core pages: a member's home, the committee's dashboard of tools, the privacy notice, the
403 page."""

from django.conf import settings
from django.shortcuts import render

from meded.accounts.committee import admin_usable
from meded.committee import tasks_for
from meded.home import sections as home_sections
from meded.notifications.selectors import open_mailings
from meded.privacy import retention_periods
from meded.roles import committee_required


def home(request):
    if not request.user.is_authenticated:
        return render(request, "meded/landing.html")
    # Each app adds what matters now to the member: {"template": ..., **context}.
    return render(request, "meded/home.html", {"sections": home_sections(request)})


def privacy(request):
    """The public privacy notice; the periods are the ones apply_retention enforces."""
    context = {
        "periods": retention_periods(),
        "min_responses": settings.MEDED_FEEDBACK_MIN_RESPONSES,
    }
    return render(request, "meded/privacy.html", context)


@committee_required
def committee_dashboard(request):
    context = {
        "tasks": tasks_for(request),
        "held_mailings": open_mailings().count(),
        "admin_usable": admin_usable(request.user),
    }
    return render(request, "meded/committee_dashboard.html", context)


def permission_denied(request, exception=None):
    reason = str(exception) if exception else ""
    return render(request, "403.html", {"reason": reason}, status=403)
