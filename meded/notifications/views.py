"""Email pages: a member's preferences, the one-click unsubscribe, the committee's outbox and
its mass emails (preview, confirm, undo)."""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from meded.accounts.models import User
from meded.errors import DomainError, attempt
from meded.remember import page_parts, remember_html
from meded.roles import committee_required, member_required

from . import mailings, services
from .forms import ConfirmMailingForm, OutboxFilterForm
from .kinds import CATEGORIES
from .models import Mailing, SentEmail
from .outbox_rows import row_html
from .selectors import (
    counted_emails,
    describe_emails,
    enabled_categories,
    mailing_detail,
    open_mailings,
    outbox_emails,
)
from .timefmt import local_time
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

    def context() -> dict:
        form = OutboxFilterForm(request.GET or None)
        page = Paginator(outbox_emails(**form.filters()), 50).get_page(request.GET.get("page"))
        return {
            "page": page,
            "rows": [row_html(row) for row in describe_emails(page.object_list)],
            "form": form,
            "open_mailings": open_mailings(),
            "undo_minutes": mailings.undo_minutes(),
            "counted": counted_emails(**form.filters()),
        }

    parts = page_parts(request)
    body = remember_html(request, "committee_outbox", parts, "meded/_outbox_body.html", context)
    return render(request, "meded/outbox.html", {"body": body})


@committee_required
@require_POST
def outbox_resend(request, pk):
    row = get_object_or_404(SentEmail, pk=pk)
    ok, _ = attempt(request, services.resend, row)
    if ok:
        messages.success(request, f"The email to {row.to_email} is queued again.")
    return redirect("committee_outbox")


def _preview_or_404(request, action: str, target_id: int):
    try:
        return True, mailings.preview(action, target_id)
    except (LookupError, ObjectDoesNotExist):
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, str(exc))
        return False, None


@committee_required
@require_http_methods(["GET", "POST"])
def mailing_new(request, action: str, target_id: int):
    """Preview (who, what) an action that emails many people; POST confirms it."""
    ok, preview = _preview_or_404(request, action, target_id)
    refused: list[str] = []
    if not ok:
        return redirect(_back(action, target_id))
    form = ConfirmMailingForm(request.POST or None, initial={"expected": preview.fingerprint})
    if request.method == "POST" and form.is_valid():
        ok, mailing = attempt(
            request,
            mailings.confirm,
            request.user,
            action,
            target_id,
            expected=form.cleaned_data["expected"],
            send_at=form.cleaned_data["send_at"],
            form=form,
        )
        if ok:
            messages.success(
                request,
                f"Confirmed: {mailing.recipient_count} email(s) held until "
                f"{local_time(mailing.release_at, '%H:%M %Z on %a %-d %b')}. "
                "You can undo it until then.",
            )
            return redirect("committee_mailing", pk=mailing.pk)
        if not form.errors.get("send_at"):
            # the list changed or a rule refused: the fresh preview, with the message
            refused = list(form.non_field_errors())
            form = ConfirmMailingForm(initial={"expected": preview.fingerprint})
    context = {
        "preview": preview,
        "form": form,
        "back_url": preview.action.back_url(preview.target),
        "undo_minutes": mailings.undo_minutes(),
        "refused": refused,
    }
    return render(request, "meded/mailing_preview.html", context)


def _back(action: str, target_id: int) -> str:
    try:
        found = mailings.get_action(action)
        return found.back_url(found.load(target_id))
    except (LookupError, ObjectDoesNotExist):
        raise Http404 from None


@committee_required
def mailing_view(request, pk: int):
    """One mass email: who it went (or goes) to, what it said, and its undo button."""
    mailing = get_object_or_404(Mailing, pk=pk)
    detail = mailing_detail(mailing)
    context = {"mailing": mailing, "back_url": _mailing_back(mailing), **detail}
    return render(request, "meded/mailing_detail.html", context)


def _mailing_back(mailing: Mailing) -> str:
    """The page the action was taken from, while its object still exists."""
    try:
        return _back(mailing.action, int(mailing.target_key.rsplit(":", 1)[1]))
    except (Http404, ValueError, IndexError):
        return ""


@committee_required
@require_POST
def mailing_undo(request, pk: int):
    mailing = get_object_or_404(Mailing, pk=pk)
    ok, _ = attempt(request, mailings.undo, request.user, mailing.pk)
    if ok:
        messages.success(request, f"Undone: {mailing.title}. Nobody was emailed.")
    if request.POST.get("next") == "outbox":
        return redirect("committee_outbox")
    return redirect("committee_mailing", pk=mailing.pk)
