"""Teaching certificates for tutors and attendance certificates for students.

Issuing snapshots the facts (sessions, hours, feedback summary) into the Certificate row; the PDF
and the public verification page both show those same facts.
"""

from __future__ import annotations

import hashlib
import io
from datetime import date, datetime, time

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from feedback.models import Certificate
from feedback.selectors.dashboards import session_results
from meded.accounts.services import name_on_hold
from sessions_app.models import Booking, Series, TeachingSession

from . import FeedbackError

ATTENDED = Q(bookings__status=Booking.Status.CONFIRMED, bookings__attended=True)


def _local_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end, time.max), tz),
    )


def _hours(session: TeachingSession) -> float:
    return round((session.ends_at - session.starts_at).total_seconds() / 3600, 2)


def _session_fact(session: TeachingSession) -> dict:
    return {
        "date": timezone.localtime(session.starts_at).date().isoformat(),
        "title": session.title,
        "topic": f"{session.topic.code} {session.topic.title}" if session.topic else "",
        "kind": session.get_kind_display(),
        "hours": _hours(session),
    }


def verification_url(code: str) -> str:
    return settings.SITE_URL + reverse("feedback:verify", args=[code])


@transaction.atomic
def _holder_name(member) -> str:
    """The name the certificate is issued to, as it stands; a recently changed name waits for
    the committee (or MEDED_CERTIFICATE_NAME_HOLD_DAYS) so a certificate cannot be issued
    to a name borrowed for the day."""
    if name_on_hold(member):
        raise FeedbackError(
            f"Your name changed on {member.name_changed_at:%d %B %Y}: certificates in the new name "
            f"are issued {settings.MEDED_CERTIFICATE_NAME_HOLD_DAYS} days after a change, or "
            "sooner once the committee confirms it."
        )
    return member.full_name or member.email


def issue_teaching_certificate(tutor, start: date, end: date, label: str = "") -> Certificate:
    """Sessions taught between two dates (inclusive, local time) that have already happened."""
    if end < start:
        raise FeedbackError("The end date must be on or after the start date.")
    lo, hi = _local_bounds(start, end)
    sessions = list(
        TeachingSession.objects.filter(
            tutors=tutor, starts_at__gte=lo, starts_at__lte=hi, ends_at__lte=timezone.now()
        )
        .exclude(status=TeachingSession.Status.CANCELLED)
        .annotate(attendance=Count("bookings", filter=ATTENDED, distinct=True))
        .select_related("topic")
        .order_by("starts_at", "pk")
    )
    if not sessions:
        raise FeedbackError(
            "You taught no sessions in that period, so there is nothing to certify."
        )
    results = session_results(sessions)
    released = [r for r in results if r.released and r.overall is not None]
    responses = sum(r.responses for r in released)
    weighted = sum(r.overall * r.responses for r in released)
    facts = {
        "sessions": [
            {
                **_session_fact(r.session),
                "attendance": r.session.attendance,
                # a session's own mean only where it has enough responses to be shown
                "overall_mean": r.overall if r.released else None,
                "responses": r.responses if r.released else None,
            }
            for r in results
        ],
        "total_hours": round(sum(_hours(s) for s in sessions), 2),
        "feedback": {
            "overall_mean": round(weighted / responses, 2) if responses else None,
            "responses": responses,
            "sessions_with_results": len(released),
            "scale": "Overall quality, 1 (very poor) to 5 (excellent)",
        },
    }
    return Certificate.objects.create(
        kind=Certificate.Kind.TEACHING,
        user=tutor,
        holder_name=_holder_name(tutor),
        title=label or f"Teaching certificate, {long_date(start)} to {long_date(end)}",
        period_start=start,
        period_end=end,
        facts=facts,
        signatory=settings.MEDED_CERTIFICATE_SIGNATORY,
    )


@transaction.atomic
def issue_attendance_certificate(student, series: Series) -> Certificate:
    """The sessions of a series this student was marked as attending."""
    sessions = list(
        TeachingSession.objects.filter(
            series=series,
            bookings__student=student,
            bookings__status=Booking.Status.CONFIRMED,
            bookings__attended=True,
        )
        .select_related("topic")
        .order_by("starts_at", "pk")
        .distinct()
    )
    if not sessions:
        raise FeedbackError("You have no recorded attendance at sessions of this series.")
    local = [timezone.localtime(s.starts_at).date() for s in sessions]
    return Certificate.objects.create(
        kind=Certificate.Kind.ATTENDANCE,
        user=student,
        holder_name=_holder_name(student),
        title=f"Certificate of attendance: {series.title}",
        period_start=min(local),
        period_end=max(local),
        facts={
            "series": series.title,
            "sessions": [_session_fact(s) for s in sessions],
            "total_hours": round(sum(_hours(s) for s in sessions), 2),
        },
        signatory=settings.MEDED_CERTIFICATE_SIGNATORY,
    )


def _name_digest(cert: Certificate, name: str) -> str:
    """A one-way digest of a name as issued on one certificate (salted by its code)."""
    normal = " ".join(name.casefold().split())
    return "sha256:" + hashlib.sha256(f"{cert.code}:{normal}".encode()).hexdigest()


def forget_holder(cert: Certificate) -> None:
    """The holder erased their account: keep only a digest of the name the certificate was
    issued to, so it still verifies against the name printed on it, and nothing else."""
    if not cert.holder_erased:
        cert.holder_name = _name_digest(cert, cert.holder_name)
        cert.holder_erased = True
        cert.save(update_fields=["holder_name", "holder_erased"])


def name_matches(cert: Certificate, name: str) -> bool:
    """Whether `name` is the name this certificate was issued to (case and spaces aside)."""
    if cert.holder_erased:
        return cert.holder_name == _name_digest(cert, name)
    return " ".join(name.casefold().split()) == " ".join(cert.holder_name.casefold().split())


def find(code: str) -> Certificate | None:
    return Certificate.objects.filter(code=code.strip().upper()).select_related("user").first()


def render_pdf(cert: Certificate) -> bytes:
    """An A4 certificate: holder, period, table of sessions, totals, signatory, verification."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=cert.title,
        author=settings.SOCIETY_NAME,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
    )
    styles = getSampleStyleSheet()
    facts = cert.facts
    story = [
        Paragraph(settings.SOCIETY_NAME, styles["Title"]),
        Paragraph(cert.get_kind_display(), styles["Heading1"]),
        Paragraph(f"This certifies that <b>{_esc(cert.holder_name)}</b>", styles["Normal"]),
    ]
    period = f"from {long_date(cert.period_start)} to {long_date(cert.period_end)}"
    if cert.kind == Certificate.Kind.TEACHING:
        lead = f"taught the following sessions {period}:"
        header = ["Date", "Session", "Topic", "Kind", "Attendance", "Hours", "Overall (1-5)"]
        keys = ["date", "title", "topic", "kind", "attendance", "hours", "feedback"]
        widths = [19, 33, 29, 22, 16, 11, 29]  # mm, within A4 text width (159 mm)
    else:
        lead = f"attended the following sessions of {_esc(facts['series'])} {period}:"
        header = ["Date", "Session", "Topic", "Kind", "Hours"]
        keys = ["date", "title", "topic", "kind", "hours"]
        widths = [22, 55, 40, 27, 15]
    story += [Paragraph(lead, styles["Normal"]), Spacer(1, 4 * mm)]
    # A smaller face and fixed column widths: titles wrap between words, never inside one.
    cell = ParagraphStyle(
        "cell", parent=styles["BodyText"], fontSize=8, leading=10, splitLongWords=0
    )
    head = ParagraphStyle("head", parent=cell, fontName="Helvetica-Bold", textColor=colors.white)
    data = [[Paragraph(h, head) for h in header]] + [
        [Paragraph(_esc(str(row.get(k, ""))), cell) for k in keys]
        for row in (_with_feedback_cell(r) for r in facts["sessions"])
    ]
    table = Table(data, repeatRows=1, colWidths=[w * mm for w in widths])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#0b5563")),
                ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [table, Spacer(1, 4 * mm)]
    story.append(Paragraph(f"Total teaching hours: {facts['total_hours']}", styles["Normal"]))
    if cert.kind == Certificate.Kind.TEACHING:
        fb = facts["feedback"]
        if fb["overall_mean"] is not None:
            summary = (
                f"Feedback: overall quality mean {fb['overall_mean']} out of 5 "
                f"from {fb['responses']} responses"
            )
        else:
            summary = "Feedback: not enough responses to report an overall-quality mean"
        story.append(Paragraph(summary, styles["Normal"]))
    story += [
        Spacer(1, 10 * mm),
        Paragraph(f"Signed: {_esc(cert.signatory)}", styles["Normal"]),
        Paragraph(f"Issued: {long_date(timezone.localtime(cert.issued_at))}", styles["Normal"]),
        Spacer(1, 6 * mm),
        Paragraph(f"Verification code: {cert.code}", styles["Normal"]),
        Paragraph(f"Verify at: {verification_url(cert.code)}", styles["Normal"]),
    ]
    doc.build(story)
    return buffer.getvalue()


def session_feedback(row: dict) -> str:
    """ "4.33 (3 responses)" for a session with enough responses to show, else a dash."""
    if row.get("overall_mean") is None:
        return "—"
    return f"{row['overall_mean']} ({row['responses']} responses)"


def _with_feedback_cell(row: dict) -> dict:
    return {**row, "feedback": session_feedback(row)}


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def long_date(day) -> str:
    """ "21 October 2026": no leading zero, as the society writes dates."""
    return f"{day.day} {day:%B %Y}"
