"""Core pages: home, profile, email preferences, one-click unsubscribe, error pages."""

from django.contrib import messages
from django.core import signing
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from meded.accounts.forms import ProfileForm
from meded.models import User
from meded.notifications import CATEGORIES
from meded.notifications.preferences import enabled_categories, set_category
from meded.notifications.tokens import read_unsubscribe_token
from meded.roles import member_required

# Each app contributes what matters now to a member's home page: a callable
# section(request) -> {"template": ..., **context} or None.
HOME_SECTIONS = [
    "sessions_app.home.section",
    "tutors.home.section",
    "feedback.home.section",
]


# Panels other apps add to the profile page (e.g. the private calendar feed link).
PROFILE_PANELS = ["sessions_app/_profile_calendar.html"]


def _existing_templates(names):
    found = []
    for name in names:
        try:
            get_template(name)
        except TemplateDoesNotExist:
            continue
        found.append(name)
    return found


def home(request):
    if not request.user.is_authenticated:
        return render(request, "meded/landing.html")
    sections = []
    for path in HOME_SECTIONS:
        section = import_string(path)(request)
        if section:
            sections.append(section)
    return render(request, "meded/home.html", {"sections": sections})


@member_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("profile")
    return render(
        request,
        "meded/profile.html",
        {"form": form, "profile_panels": _existing_templates(PROFILE_PANELS)},
    )


@member_required
def notification_preferences(request):
    if request.method == "POST":
        chosen = set(request.POST.getlist("categories"))
        for category in CATEGORIES:
            set_category(request.user, category, category in chosen)
        messages.success(request, "Your email preferences are saved.")
        return redirect("notification_preferences")
    enabled = enabled_categories(request.user)
    rows = [(key, label, key in enabled) for key, label in CATEGORIES.items()]
    return render(request, "meded/notification_preferences.html", {"rows": rows})


@csrf_exempt  # RFC 8058 one-click: mail clients POST without a session; the token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        user_id, category = read_unsubscribe_token(token)
    except signing.BadSignature:
        return HttpResponseBadRequest("This unsubscribe link is not valid.")
    user = User.objects.filter(pk=user_id).first()
    if user is None or category not in CATEGORIES:
        return HttpResponseBadRequest("This unsubscribe link is not valid.")
    done = request.method == "POST"
    if done:
        set_category(user, category, False)
    return render(
        request,
        "meded/unsubscribe.html",
        {"category_label": CATEGORIES[category], "done": done, "token": token},
    )


def permission_denied(request, exception=None):
    reason = str(exception) if exception else ""
    return render(request, "403.html", {"reason": reason}, status=403)
