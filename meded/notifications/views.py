"""Email pages: a member's preferences, the one-click unsubscribe, the committee's outbox."""

from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from meded.accounts.models import User
from meded.errors import attempt
from meded.roles import committee_required, member_required

from . import services
from .forms import OutboxFilterForm
from .kinds import CATEGORIES
from .models import SentEmail
from .selectors import counted_emails, enabled_categories, outbox_emails
from .tokens import read_unsubscribe_token


@member_required
def notification_preferences(request):
    if request.method == "POST":
        chosen = set(request.POST.getlist("categories"))
        for category in CATEGORIES:
            services.set_category(request.user, category, category in chosen)
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
        services.set_category(user, category, False)
    return render(
        request,
        "meded/unsubscribe.html",
        {"category_label": CATEGORIES[category], "done": done, "token": token},
    )


@committee_required
def outbox(request):
    form = OutboxFilterForm(request.GET or None)
    page = Paginator(outbox_emails(**form.filters()), 50).get_page(request.GET.get("page"))
    counted = counted_emails(**form.filters())
    return render(request, "meded/outbox.html", {"page": page, "form": form, "counted": counted})


@committee_required
@require_POST
def outbox_resend(request, pk):
    row = get_object_or_404(SentEmail, pk=pk)
    ok, _ = attempt(request, services.resend, row)
    if ok:
        messages.success(request, f"The email to {row.to_email} is queued again.")
    return redirect("committee_outbox")
