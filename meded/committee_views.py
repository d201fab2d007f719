"""Committee pages of the core: the dashboard of committee tools and the email outbox."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from meded.models import SentEmail
from meded.notifications.delivery import resend
from meded.notifications.forms import OutboxFilterForm
from meded.notifications.selectors import outbox_emails
from meded.roles import committee_required


@committee_required
def dashboard(request):
    return render(request, "meded/committee_dashboard.html")


@committee_required
def outbox(request):
    form = OutboxFilterForm(request.GET or None)
    page = Paginator(outbox_emails(**form.filters()), 50).get_page(request.GET.get("page"))
    return render(request, "meded/outbox.html", {"page": page, "form": form})


@committee_required
@require_POST
def outbox_resend(request, pk):
    row = get_object_or_404(SentEmail, pk=pk)
    if resend(row):
        messages.success(request, f"The email to {row.to_email} is queued again.")
    else:
        messages.error(request, "Only a failed email can be sent again.")
    return redirect("committee_outbox")
