"""The one exporter: every CSV or XLSX the product writes goes through here.

A cell that a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage
return) is neutralised with a leading apostrophe, so text a member typed can never run in the
committee's spreadsheet. `read_cell` undoes it, so an export imported again round-trips.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


def safe_cell(value: Any) -> Any:
    """A value as a spreadsheet should show it, never as something it would execute."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return value  # numbers (negative ones too) are data, not formulas
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return GUARD + text
    return text


def read_cell(text: str) -> str:
    """The inverse of safe_cell for text read back from one of our own exports."""
    if text.startswith(GUARD) and text[1:2] and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text with a header row; every cell through safe_cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def xlsx_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Export"
) -> bytes:
    """An XLSX workbook with one sheet; every cell through safe_cell (stored as text/number)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31] or "Export")
    ws.append([safe_cell(h) for h in header])
    for row in rows:
        ws.append([safe_cell(v) for v in row])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A download of `csv_text`; the filename is the only thing a view chooses."""
    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "Export"
) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(header, rows, title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
