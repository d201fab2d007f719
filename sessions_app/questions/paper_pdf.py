"""A mock-exam paper as a PDF for a paper sitting (reportlab); the answer key on its own page
at the end, only when asked for."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer


def paper_pdf(paper, items, *, with_key: bool = False) -> bytes:
    styles = getSampleStyleSheet()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, title=paper.title, leftMargin=18 * mm, rightMargin=18 * mm
    )
    story = [Paragraph(escape(paper.title), styles["Title"])]
    info = f"{len(items)} questions · {paper.time_limit_minutes} minutes"
    if paper.session_id:
        info += f" · {paper.session.starts_at:%d %B %Y}"
    story += [Paragraph(escape(info), styles["Normal"]), Spacer(1, 6 * mm)]
    for n, item in enumerate(items, start=1):
        v = item.version
        story.append(Paragraph(f"<b>{n}.</b> {escape(v.stem)}", styles["BodyText"]))
        for letter, text in v.options:
            story.append(Paragraph(f"&nbsp;&nbsp;&nbsp;{letter}. {escape(text)}", styles["Normal"]))
        story.append(Spacer(1, 4 * mm))
    if with_key:
        story += [PageBreak(), Paragraph("Answer key", styles["Heading1"])]
        for n, item in enumerate(items, start=1):
            v = item.version
            story.append(
                Paragraph(f"<b>{n}. {v.answer}</b> {escape(v.explanation)}", styles["BodyText"])
            )
    doc.build(story)
    return out.getvalue()
