"""Small, valid sample files generated in memory (no network): demo data and tests use them."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas


def pdf_bytes(title: str, lines: list[str] | None = None, pages: int = 2) -> bytes:
    """A landscape PDF 'slide deck': a title page and a few bullet pages."""
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=landscape(A4), invariant=1)
    pdf.setTitle(title)
    _width, height = landscape(A4)
    for n in range(pages):
        pdf.setFont("Helvetica-Bold", 30 if n == 0 else 22)
        pdf.drawString(60, height - 100, title if n == 0 else f"{title} ({n + 1})")
        pdf.setFont("Helvetica", 16)
        for i, line in enumerate(lines or ["Learning objectives", "Key facts", "Questions"]):
            pdf.drawString(80, height - 170 - 32 * i, f"- {line}")
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4_bytes(seconds: int = 60, payload_bytes: int = 4096) -> bytes:
    """A structurally valid MP4 (ftyp, mdat, moov/mvhd) of the given declared length.

    It carries no encoded frames (no encoder is available offline); it exercises upload
    validation, storage and range requests exactly like a real recording would.
    """
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 0x200) + b"isomiso2mp41")
    mdat = _box(b"mdat", bytes(i % 251 for i in range(payload_bytes)))
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    mvhd = _box(
        b"mvhd",
        struct.pack(">IIIII", 0, 0, 0, 1000, seconds * 1000)
        + struct.pack(">IH", 0x10000, 0x100)
        + bytes(10)
        + matrix
        + bytes(24)
        + struct.pack(">I", 1),
    )
    return ftyp + mdat + _box(b"moov", mvhd)


DEMO_RECORDING = Path(__file__).with_name("demo_data") / "demo-recording.mp4"
DEMO_LECTURE = Path(__file__).with_name("demo_data") / "demo-lecture.mp4"


def demo_lecture() -> bytes:
    """The 90-second demo lecture with sound (demo_data/make_demo_lecture.py); its captions
    and chapters are in demo_data/lecture.py. The short clip stands in if it is missing."""
    try:
        return DEMO_LECTURE.read_bytes()
    except OSError:
        return demo_recording()


def demo_recording() -> bytes:
    """A real, playable 4-second H.264 MP4 (see demo_data/make_demo_recording.py), or the
    constructed stand-in if the file is missing."""
    try:
        return DEMO_RECORDING.read_bytes()
    except OSError:
        return mp4_bytes(seconds=4)


def vtt_bytes(cues: list[str] | None = None) -> bytes:
    lines = ["WEBVTT", ""]
    for i, text in enumerate(cues or ["Welcome to the session.", "Let us begin."]):
        lines += [f"00:00:{i * 5:02d}.000 --> 00:00:{i * 5 + 4:02d}.000", text, ""]
    return "\n".join(lines).encode()


def _ooxml(parts: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        for name, text in parts.items():
            zf.writestr(name, text)
    return buf.getvalue()


def pptx_bytes() -> bytes:
    return _ooxml({"ppt/presentation.xml": "<p:presentation/>"})


def docx_bytes() -> bytes:
    return _ooxml({"word/document.xml": "<w:document/>"})


def xlsx_bytes(rows: list[list[str]] | None = None) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows or [["question", "answer"], ["Normal resting heart rate?", "60-100 bpm"]]:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes() -> bytes:
    return b"question,answer,explanation\nWhat is the QRS width limit?,120 ms,Bundle branch block\n"


PNG_1PX = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
