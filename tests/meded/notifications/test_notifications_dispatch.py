"""The periodic run: overlapping runs send nothing twice, and every kind that a job can send has
its branded HTML + plain-text pair of templates."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.template import loader
from django.template.loader_tags import ExtendsNode
from django.utils import timezone

from meded.models import SentEmail
from meded.notifications import registered_kinds
from meded.notifications.tasks import dispatch_due
from tests.factories.sessions import BookingFactory, TeachingSessionFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("eager_celery")
def test_overlapping_periodic_runs_send_each_reminder_once(monkeypatch):
    """Four beat runs race for the same 20 due reminders. Each run is held after it has found
    a reminder not yet logged and before it writes the row, until all four have found it: the
    worst interleaving, every time, and still one row and one email per reminder."""
    from meded.notifications import services as service

    runs = 4
    in_step = threading.Barrier(runs)
    check = service.is_enabled  # called after the "already logged?" check, before the insert

    def check_in_step(*args, **kwargs):
        in_step.wait(20)
        return check(*args, **kwargs)

    monkeypatch.setattr(service, "is_enabled", check_in_step)
    session = TeachingSessionFactory(starts_at=timezone.now() + timedelta(hours=23), capacity=30)
    earlier = timezone.now() - timedelta(days=2)
    students = {
        BookingFactory(session=session, joined_at=earlier, confirmed_at=earlier).student.email
        for _ in range(20)
    }
    counts, errors = [], []

    def run():
        try:
            counts.append(dispatch_due().get("sessions_app.reminders", 0))
        except Exception as exc:  # surfaced below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == [] and len(counts) == runs
    assert sum(counts) == 20  # each reminder was decided by exactly one of the runs
    rows = SentEmail.objects.filter(kind="session_reminder")
    assert rows.count() == 20
    assert set(rows.values_list("status", flat=True)) == {SentEmail.Status.SENT}
    delivered = Counter(m.to[0] for m in mail.outbox if session.title in m.subject)
    assert set(delivered) == students and set(delivered.values()) == {1}


def _extends(template_name: str) -> str:
    nodes = loader.get_template(template_name).template.nodelist
    first = next(n for n in nodes if isinstance(n, ExtendsNode))
    return first.parent_name.var


APP_KINDS = [k.name for k in registered_kinds() if not k.name.startswith("test_")]


def test_every_due_job_of_the_issue_is_registered():
    from meded.periodic import periodic_jobs as due_jobs

    assert set(due_jobs()) >= {
        "sessions_app.reminders",
        "sessions_app.waitlist_expiry",
        "sessions_app.waitlist_promotions",
        "sessions_app.slides_reminders",
        "ranking_deadline_reminder",
        "feedback_requests",
    }
    assert {
        "booking_confirmed",
        "waitlist_offer",
        "session_changed",
        "session_cancelled",
        "tutors_interview_invitation",
        "tutors_interview_booked",
        "tutors_decision",
        "allocation_published",
    } <= set(APP_KINDS)


@pytest.mark.parametrize("kind", APP_KINDS)
def test_every_kind_has_a_branded_html_and_plain_text_pair(kind):
    assert _extends(f"emails/{kind}.html") == "emails/base.html"
    assert _extends(f"emails/{kind}.txt") == "emails/base.txt"
    assert loader.get_template(f"emails/{kind}.subject.txt")
