"""The outbox's rows written in Python are exactly what its row template wrote: a failed email
with its error and resend button, a held one with its release time, a sent one."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from meded.notifications.models import Mailing, SentEmail
from meded.notifications.outbox_rows import row_html
from meded.notifications.selectors import describe_emails, outbox_emails
from meded.remember import CSRF_SENTINEL
from tests.factories.core import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("email_kinds")]

# the row as templates/meded/_outbox_body.html wrote it, before it was written in Python
TEMPLATE = Template(
    """{% load meded_email %}{% for row in rows %}{% with e=row.email %}
    <tr>
      <td>{{ e.created_at|date:"j M Y H:i" }}</td>
      <td>{{ e.to_email }}</td>
      <td>{{ row.kind_label }}<br><span class="small text-body-secondary">{{ e.subject|default:"(written when it goes)" }}</span></td>
      <td>{% if e.mailing %}<a href="{% url 'committee_mailing' e.mailing_id %}">{{ row.about }}</a>{% else %}{{ row.about }}{% endif %}</td>
      <td>{{ e.get_status_display }}{% if e.status == "held" and e.mailing %}<br><span class="small">until {{ e.mailing.release_at|local_time }}</span>{% endif %}{% if e.last_error %}<br><span class="small text-danger">{{ e.last_error|truncatechars:160 }}</span>{% endif %}</td>
      <td>{{ e.attempts }}</td>
      <td>{% if e.status == "failed" %}
        <form method="post" action="{% url 'committee_outbox_resend' e.pk %}">{% csrf_token %}<button class="btn btn-sm btn-outline-primary" type="submit">Resend<span class="visually-hidden"> to {{ e.to_email }}</span></button></form>
      {% endif %}</td>
    </tr>
  {% endwith %}{% endfor %}"""  # noqa: E501
)


def _email(status, **extra) -> SentEmail:
    n = SentEmail.objects.count() + 1
    user = UserFactory(email=f"o'neil+<{n}>@example.test")
    return SentEmail.objects.create(
        recipient=user,
        to_email=user.email,
        kind="test_receipt",
        object_key=f"order:{n}",
        status=status,
        **extra,
    )


def test_each_row_is_what_the_template_wrote():
    mailing = Mailing.objects.create(
        action="test.action",
        kind="test_receipt",
        target_key="order:1",
        title="Tell <everyone>",
        release_at=timezone.now() + timedelta(minutes=10),
    )
    _email(SentEmail.Status.FAILED, last_error="SMTP said <no> & " + "x" * 300, attempts=3)
    _email(SentEmail.Status.HELD, mailing=mailing, subject="")
    _email(SentEmail.Status.SENT, subject='Your "receipt" & more', attempts=1)
    rows = describe_emails(outbox_emails())
    expected = TEMPLATE.render(Context({"rows": rows, "csrf_token": CSRF_SENTINEL}))
    assert "".join(row_html(row) for row in rows) == expected
    assert "Resend" in expected and "until " in expected and "text-danger" in expected
