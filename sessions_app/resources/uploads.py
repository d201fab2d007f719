"""Upload validation: a file is accepted by what its bytes are, not by what its name says.

Every refusal raises UploadRefused with a sentence a tutor can act on; nothing is written to
storage before validation passes, so a refused file leaves nothing behind.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from sessions_app.errors import ResourceError

HEAD_BYTES = 256 * 1024


class UploadRefused(ResourceError):
    """A file we will not store; the message says why in plain words."""


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    content_type: str
    extension: str
    video: bool = False


TYPES: dict[str, FileType] = {
    t.key: t
    for t in (
        FileType("pdf", "PDF", "application/pdf", "pdf"),
        FileType(
            "pptx",
            "PowerPoint (PPTX)",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "pptx",
        ),
        FileType(
            "docx",
            "Word (DOCX)",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        FileType(
            "xlsx",
            "Excel (XLSX)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        FileType("csv", "CSV", "text/csv", "csv"),
        FileType("png", "PNG image", "image/png", "png"),
        FileType("jpeg", "JPEG image", "image/jpeg", "jpg"),
        FileType("mp4", "MP4 video", "video/mp4", "mp4", video=True),
        FileType("vtt", "WebVTT captions", "text/vtt", "vtt"),
    )
}

# Which file types each kind of resource accepts (a "link" takes no file at all).
ALLOWED_BY_KIND: dict[str, tuple[str, ...]] = {
    "slides": ("pdf", "pptx"),
    "recording": ("mp4",),
    "guide": ("pdf", "docx", "png", "jpeg"),
    "question_bank": ("pdf", "docx", "csv", "xlsx"),
    "handout": ("pdf", "docx", "png", "jpeg"),
    "link": (),
    "captions": ("vtt",),
}

_FILETYPE_MIME = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpeg",
    "video/mp4": "mp4",
    TYPES["pptx"].content_type: "pptx",
    TYPES["docx"].content_type: "docx",
    TYPES["xlsx"].content_type: "xlsx",
}
_OOXML_PARTS = {"ppt/": "pptx", "word/": "docx", "xl/": "xlsx"}
_EXTENSIONS = {"jpeg": "jpeg", "jpg": "jpeg", "htm": None}


@dataclass(frozen=True)
class CheckedFile:
    file_type: FileType
    filename: str
    size: int


def max_bytes_for(kind: str) -> int:
    """Size limit for a kind of resource, from settings."""
    if kind == "recording":
        return settings.MEDED_MAX_VIDEO_BYTES
    return settings.MEDED_MAX_DOCUMENT_BYTES


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} bytes"  # pragma: no cover


def sanitise_filename(name: str, extension: str | None = None) -> str:
    """A safe, boring filename: no path, ASCII letters/digits/.-_ only, the right extension."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-_.")[:80] or "file"
    ext = extension or re.sub(r"[^A-Za-z0-9]", "", ext).lower()[:8]
    return f"{stem}.{ext}" if ext else stem


def _read_head(upload: UploadedFile) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def _zip_names(upload: UploadedFile) -> list[str]:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as zf:
            return zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return []
    finally:
        upload.seek(0)


def _has_macros(upload: UploadedFile) -> bool:
    """Macro-enabled Office files (.pptm/.docm/.xlsm) carry a VBA project: we never store code."""
    return any(n.lower().endswith("vbaproject.bin") for n in _zip_names(upload))


def _ooxml_kind(upload: UploadedFile) -> str | None:
    """Tell DOCX/PPTX/XLSX apart by the parts inside the zip (the first bytes may not say)."""
    names = _zip_names(upload)
    if "[Content_Types].xml" not in names:
        return None
    for prefix, key in _OOXML_PARTS.items():
        if any(n.startswith(prefix) for n in names):
            return key
    return None


def _text_kind(head: bytes, extension: str) -> str | None:
    """Text formats have no magic bytes: WebVTT starts with WEBVTT, CSV must parse as CSV."""
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        if len(head) < HEAD_BYTES:
            return None
        text = head[:-4].decode("utf-8-sig", errors="ignore")
    if "\x00" in text:
        return None
    if re.match(r"WEBVTT(?:[ \t].*)?(?:\r?\n|$)", text):
        return "vtt"
    if extension == "csv" and text.strip():
        try:
            rows = list(csv.reader(io.StringIO(text)))
        except csv.Error:
            return None
        return "csv" if rows and any(len(r) > 1 for r in rows) else None
    return None


def detect(upload: UploadedFile) -> FileType | None:
    """What the file's content is, or None when it is none of the types we accept."""
    head = _read_head(upload)
    extension = PurePosixPath(upload.name or "").suffix.lower().lstrip(".")
    guess = filetype.guess(head)
    key = _FILETYPE_MIME.get(guess.mime) if guess else None
    if key is None and head.startswith(b"PK\x03\x04"):
        key = _ooxml_kind(upload)
    if key is None and guess is None:
        key = _text_kind(head, extension)
    return TYPES.get(key) if key else None


def _describe(allowed: tuple[str, ...]) -> str:
    labels = [TYPES[k].label for k in allowed]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def check_upload(upload: UploadedFile, kind: str) -> CheckedFile:
    """Accept the file for this kind of resource or raise UploadRefused saying why."""
    name = upload.name or "file"
    allowed = ALLOWED_BY_KIND.get(kind, ())
    if not allowed:
        raise UploadRefused(f"A {kind.replace('_', ' ')} takes a web address, not a file.")
    limit = max_bytes_for(kind) if kind != "captions" else settings.MEDED_MAX_DOCUMENT_BYTES
    if upload.size is not None and upload.size > limit:
        raise UploadRefused(
            f"“{sanitise_filename(name)}” is {human_size(upload.size)}; the limit for this kind "
            f"of file is {human_size(limit)}."
        )
    if not upload.size:
        raise UploadRefused(f"“{sanitise_filename(name)}” is empty.")
    found = detect(upload)
    if found is None or found.key not in allowed:
        what = (
            f"its content is of type “{found.label}”"
            if found
            else "its content is not a type we accept"
        )
        raise UploadRefused(
            f"“{sanitise_filename(name)}” was refused: {what}. "
            f"Upload {_describe(allowed)} for this kind of resource."
        )
    if found.key in _OOXML_PARTS.values() and _has_macros(upload):
        raise UploadRefused(
            f"“{sanitise_filename(name)}” contains macros, which we do not accept. "
            f"Save it as a plain {found.label} file without macros."
        )
    claimed = PurePosixPath(name).suffix.lower().lstrip(".")
    claimed_key = _EXTENSIONS.get(claimed, claimed)
    if claimed and claimed_key in TYPES and claimed_key != found.key:
        raise UploadRefused(
            f"“{sanitise_filename(name)}” is named .{claimed} but its content is of type "
            f"“{found.label}”. Rename it or export it again."
        )
    return CheckedFile(found, sanitise_filename(name, found.extension), upload.size)
