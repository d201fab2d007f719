"""Portfolio operations: reflections, private links, the PDF."""

from __future__ import annotations

import io

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from feedback.services import FeedbackError
from sessions_app.models import TeachingSession

from .models import CareerLink, PortfolioLink, Reflection
from .selectors import Portfolio, hours

MAX_REFLECTION = 2000


def save_reflection(
    tutor, session: TeachingSession, text: str, in_portfolio: bool = False
) -> Reflection:
    """Write (or rewrite) the tutor's reflection on a session they taught."""
    text = (text or "").strip()
    if not session.is_taught_by(tutor):
        raise FeedbackError("You can reflect only on sessions you taught.", field="session")
    if session.starts_at > timezone.now():
        raise FeedbackError("Write a reflection once the session has happened.", field="session")
    if not text:
        raise FeedbackError("Write a sentence or two.", field="text")
    if len(text) > MAX_REFLECTION:
        raise FeedbackError(f"Keep it under {MAX_REFLECTION} characters.", field="text")
    reflection, _ = Reflection.objects.update_or_create(
        tutor=tutor, session=session, defaults={"text": text, "in_portfolio": in_portfolio}
    )
    return reflection


def set_included(tutor, reflection: Reflection, included: bool) -> Reflection:
    if reflection.tutor_id != tutor.pk:
        raise FeedbackError("That reflection is not yours.")
    reflection.in_portfolio = included
    reflection.save(update_fields=["in_portfolio", "updated_at"])
    return reflection


def delete_reflection(tutor, reflection: Reflection) -> None:
    if reflection.tutor_id != tutor.pk:
        raise FeedbackError("That reflection is not yours.")
    reflection.delete()


def create_link(tutor, label: str = "") -> PortfolioLink:
    return PortfolioLink.objects.create(tutor=tutor, label=(label or "").strip()[:100])


def revoke_link(tutor, link: PortfolioLink) -> PortfolioLink:
    with transaction.atomic():
        link = PortfolioLink.objects.select_for_update().get(pk=link.pk)
        if link.tutor_id != tutor.pk:
            raise FeedbackError("That link is not yours.")
        if link.revoked_at:
            raise FeedbackError("That link is already switched off.")
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
    return link


def portfolio_pdf(p: Portfolio) -> bytes:
    """The portfolio as an A4 PDF: the same facts as the shared page."""
    styles = getSampleStyleSheet()
    h1, h2, body = styles["Title"], styles["Heading2"], styles["BodyText"]
    name = p.tutor.get_full_name() or p.tutor.email
    story = [Paragraph(f"Teaching portfolio: {escape(name)}", h1)]
    story.append(
        Paragraph(
            f"{p.sessions} sessions taught, {p.total_hours} hours, "
            f"in {', '.join(p.years) or 'no year yet'}.",
            body,
        )
    )
    if p.by_kind:
        story.append(
            Paragraph("By kind: " + ", ".join(f"{k} {n}" for k, n in p.by_kind) + ".", body)
        )
    story += [Spacer(1, 4 * mm), Paragraph("Sessions taught", h2)]
    rows = [["Date", "Session", "Topic", "Kind", "Hours", "Overall (1-5)"]]
    for r in p.results:
        s = r.session
        rows.append(
            [
                timezone.localtime(s.starts_at).strftime("%d %b %Y"),
                Paragraph(escape(s.title), body),
                Paragraph(escape(s.topic.code if s.topic else ""), body),
                s.get_kind_display(),
                f"{hours(s):g}",
                f"{r.overall:.2f} (n={r.responses})" if r.overall is not None else "—",
            ]
        )
    story.append(
        Table(rows, repeatRows=1, colWidths=[24 * mm, 55 * mm, 22 * mm, 25 * mm, 14 * mm, 30 * mm])
    )
    story += [Spacer(1, 4 * mm), Paragraph("Feedback summary", h2)]
    if p.feedback:
        for q in p.feedback:
            story.append(Paragraph(f"{escape(q.text)}: mean {q.mean} (n={q.n})", body))
    else:
        story.append(Paragraph("No results released yet.", body))
    if p.observations:
        story += [Spacer(1, 4 * mm), Paragraph("Peer observations", h2)]
        for o in p.observations:
            story.append(
                Paragraph(
                    f"{timezone.localtime(o.session.starts_at):%d %b %Y}, "
                    f"{escape(o.session.title)}: {escape(o.strengths)}",
                    body,
                )
            )
    if p.certificates:
        story += [Spacer(1, 4 * mm), Paragraph("Certificates", h2)]
        for c in p.certificates:
            story.append(Paragraph(f"{escape(c.title)} (verification code {c.code})", body))
    if p.reflections:
        story += [Spacer(1, 4 * mm), Paragraph("Reflections", h2)]
        for ref in p.reflections:
            story.append(Paragraph(f"<b>{escape(ref.session.title)}</b>: {escape(ref.text)}", body))
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title="Teaching portfolio").build(story)
    return buffer.getvalue()


def add_career_link(actor, title: str, url: str, description: str = "") -> CareerLink:
    title, url = (title or "").strip(), (url or "").strip()
    if not title:
        raise FeedbackError("Give the link a title.", field="title")
    if not url.startswith(("https://", "http://")):
        raise FeedbackError("Enter a web address starting with https://", field="url")
    order = CareerLink.objects.count()
    return CareerLink.objects.create(
        title=title[:150], url=url, description=(description or "")[:300], order=order
    )


def remove_career_link(actor, link: CareerLink) -> None:
    link.delete()
