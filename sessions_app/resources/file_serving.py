"""Hand a private file to a member who passed the permission check.

Behind the nginx of deploy/ (MEDED_X_ACCEL_REDIRECT_PREFIX set): an empty answer with
X-Accel-Redirect, and nginx sends the file from its internal location. Local storage otherwise:
FileResponse, with single HTTP Range requests answered 206 so a browser can seek
in a recording. S3-compatible storage: a redirect to a short-lived signed URL (the bucket stays
private; django-storages signs with querystring_auth).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils.http import content_disposition_header

CHUNK = 64 * 1024
SIGNED_URL_SECONDS = 300
# An uploaded file runs nothing and may only be framed by our own pages (slides beside a video).
FILE_CSP = (
    "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; "
    "frame-ancestors 'self'"
)
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def is_signed_url_storage(storage) -> bool:
    """True for S3-like storages that hand out signed URLs (django-storages S3Storage)."""
    return bool(getattr(storage, "querystring_auth", False)) and hasattr(storage, "bucket_name")


def parse_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """(start, end) inclusive for one satisfiable range; None: no/ignored range; False: 416."""
    match = _RANGE.match((header or "").strip())
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # suffix range: the last N bytes
        length = int(last)
        if length == 0:
            return False
        return max(size - length, 0), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if start >= size or end < start:
        return False
    return start, min(end, size - 1)


def _iter_slice(handle, start: int, length: int, on_served=None):
    """Stream the slice; on_served(start, end) learns the bytes actually sent, even when the
    player stops reading early (so requesting a range is not the same as receiving it)."""
    sent = 0
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
            sent += len(chunk)
    finally:
        handle.close()
        if on_served is not None and sent:
            on_served(start, start + sent)


def serve_private_file(
    request,
    fieldfile,
    *,
    filename: str,
    content_type: str,
    as_attachment: bool,
    on_served=None,
) -> HttpResponse:
    """on_served(start, end, size), if given, is told which bytes were streamed (local storage
    only: a signed URL hands the file to the bucket, where we cannot see playback)."""
    storage = fieldfile.storage
    disposition = content_disposition_header(as_attachment, filename)
    if is_signed_url_storage(storage):
        url = storage.url(
            fieldfile.name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
            },
            expire=SIGNED_URL_SECONDS,
        )
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store"
        return response

    prefix = getattr(settings, "MEDED_X_ACCEL_REDIRECT_PREFIX", "")
    if prefix:  # the proxy sends the bytes (ranges included); the app only said yes
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(fieldfile.name)
        response["Content-Disposition"] = disposition
        response["Cache-Control"] = "private, no-store"
        return response

    size = storage.size(fieldfile.name)
    wanted = parse_range(request.headers.get("Range", ""), size)
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    elif wanted is None and on_served is None:
        response = FileResponse(storage.open(fieldfile.name, "rb"), content_type=content_type)
        response["Content-Length"] = str(size)
    elif wanted is None:
        served = (lambda a, b: on_served(a, b, size)) if on_served else None
        handle = storage.open(fieldfile.name, "rb")
        response = StreamingHttpResponse(
            _iter_slice(handle, 0, size, served), content_type=content_type
        )
        response["Content-Length"] = str(size)
    else:
        start, end = wanted
        length = end - start + 1
        handle = storage.open(fieldfile.name, "rb")
        served = (lambda a, b: on_served(a, b, size)) if on_served else None
        response = StreamingHttpResponse(
            _iter_slice(handle, start, length, served), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Content-Security-Policy"] = FILE_CSP
    return response
