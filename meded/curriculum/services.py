"""Curriculum services: the all-or-nothing CSV import (committee page, `manage.py
import_curriculum`) and the export in the same format, so a file round-trips unchanged."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from meded.errors import DomainError
from meded.exports import csv_text, read_cell
from meded.parsing import parse_int

from .models import Module, Topic, Year

REQUIRED_COLUMNS = ["code", "title", "module", "years"]
EXPORT_HEADER = [*REQUIRED_COLUMNS, "description"]


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class CurriculumImportError(DomainError):
    """The file was refused as a whole; `errors` lists every bad line."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors), field="csv_file")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    modules_created: list[str] = field(default_factory=list)


def ensure_years() -> dict[int, Year]:
    years = {y.number: y for y in Year.objects.all()}
    for n in range(1, 7):
        if n not in years:
            years[n] = Year.objects.create(number=n, name=f"Year {n}")
    return years


def _parse_years(raw: str) -> list[int]:
    parts = [p.strip() for p in raw.replace(",", ";").split(";") if p.strip()]
    if not parts:
        raise ValueError("years is empty (write e.g. 3 or 3;5)")
    numbers = []
    for p in parts:
        number = parse_int(p, low=1, high=6)
        if number is None:
            raise ValueError(f"year {p!r} is not a whole number from 1 to 6")
        numbers.append(number)
    return sorted(set(numbers))


def _cell(record: dict, name: str) -> str:
    """A cell as the committee meant it: trimmed, and with our export's formula guard undone."""
    return read_cell((record.get(name) or "").strip())


def import_curriculum(text: str) -> ImportResult:
    """Apply the whole file or nothing: every bad row is reported with its line number."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise CurriculumImportError(
            [
                RowError(
                    1,
                    f"missing column(s) {', '.join(missing)}; the header must be "
                    f"{','.join(REQUIRED_COLUMNS)}",
                )
            ]
        )
    reader.fieldnames = header
    errors: list[RowError] = []
    rows = []
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if not any((v or "").strip() for v in record.values() if isinstance(v, str)):
            continue
        code, title, module = (_cell(record, name) for name in ("code", "title", "module"))
        row_errors = []
        if not code:
            row_errors.append("code is empty")
        elif len(code) > 30:
            row_errors.append("code is longer than 30 characters")
        elif code in seen:
            row_errors.append(f"code {code} already appears on line {seen[code]}")
        if not title:
            row_errors.append("title is empty")
        if not module:
            row_errors.append("module is empty")
        try:
            years = _parse_years(_cell(record, "years"))
        except ValueError as exc:
            row_errors.append(str(exc))
            years = []
        if row_errors:
            errors.extend(RowError(line, m) for m in row_errors)
            continue
        seen[code] = line
        rows.append((code, title, module, years, _cell(record, "description")))
    if errors:
        raise CurriculumImportError(errors)
    if not rows:
        raise CurriculumImportError([RowError(1, "the file has no topics")])

    result = ImportResult()
    with transaction.atomic():
        year_by_number = ensure_years()
        modules = {m.name: m for m in Module.objects.all()}
        for code, title, module_name, years, description in rows:
            module = modules.get(module_name)
            if module is None:
                module = Module.objects.create(name=module_name, slug=_unique_slug(module_name))
                modules[module_name] = module
                result.modules_created.append(module_name)
            topic, created = Topic.objects.update_or_create(
                code=code,
                defaults={"title": title, "module": module}
                | ({"description": description} if description else {}),
            )
            topic.years.set([year_by_number[n] for n in years])
            if created:
                result.created += 1
            else:
                result.updated += 1
    return result


def _unique_slug(name: str) -> str:
    base = slugify(name)[:130] or "module"
    slug, n = base, 2
    while Module.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def export_rows() -> Iterator[list[str]]:
    """Every topic as an import row, by code."""
    topics = Topic.objects.select_related("module").prefetch_related("years").order_by("code")
    for topic in topics:
        years = ";".join(str(y.number) for y in sorted(topic.years.all(), key=lambda y: y.number))
        yield [topic.code, topic.title, topic.module.name, years, topic.description]


def export_curriculum() -> str:
    """The curriculum in the import format, so a committee can edit it in a spreadsheet and
    import it back (a round trip that changes nothing)."""
    return csv_text(EXPORT_HEADER, export_rows())
