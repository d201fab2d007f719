"""Committee pages of the core: the dashboard of committee tools and the email outbox."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from meded.models import SentEmail
from meded.notifications import registered_kinds
from meded.notifications.delivery import resend
from meded.roles import committee_required


@committee_required
def dashboard(request):
    return render(request, "meded/committee_dashboard.html")


@committee_required
def outbox(request):
    # The list never shows bodies or attachments: leave them in the database.
    emails = SentEmail.objects.defer("body_text", "body_html", "headers", "attachments").order_by(
        "-created_at", "-pk"
    )
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    if status not in SentEmail.Status.values:
        status = ""
    since = parse_date(request.GET.get("since", "") or "")
    until = parse_date(request.GET.get("until", "") or "")
    if kind:
        emails = emails.filter(kind=kind)
    if status:
        emails = emails.filter(status=status)
    if since:
        emails = emails.filter(created_at__date__gte=since)
    if until:
        emails = emails.filter(created_at__date__lte=until)
    page = Paginator(emails, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "meded/outbox.html",
        {
            "page": page,
            "kinds": registered_kinds(),
            "statuses": SentEmail.Status.choices,
            "filters": {"kind": kind, "status": status, "since": since, "until": until},
        },
    )


@committee_required
@require_POST
def outbox_resend(request, pk):
    row = get_object_or_404(SentEmail, pk=pk)
    if resend(row):
        messages.success(request, f"The email to {row.to_email} is queued again.")
    else:
        messages.error(request, "Only a failed email can be sent again.")
    return redirect("committee_outbox")
