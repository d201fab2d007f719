"""Curriculum services: the all-or-nothing CSV import (committee page, `manage.py
import_curriculum`) and the export in the same format, so a file round-trips unchanged."""

from __future__ import annotations

import csv
import difflib
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


Row = tuple[str, str, str, list[int], str]  # code, title, module, years, description


def parse_curriculum(text: str) -> list[Row]:
    """Read and check the whole file; every bad row is reported with its line number."""
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
    return rows


@dataclass
class NewModule:
    name: str
    topics: int
    looks_like: list[str]  # existing modules with a similar name: a typo, perhaps?


@dataclass
class ImportPreview:
    """What the file would change, shown before anything is written."""

    new_modules: list[NewModule] = field(default_factory=list)
    new_topics: list[Row] = field(default_factory=list)
    changed_topics: list[tuple[Row, str]] = field(default_factory=list)  # (row, what changes)
    unchanged: int = 0

    @property
    def has_changes(self) -> bool:
        return bool(self.new_modules or self.new_topics or self.changed_topics)


def preview_curriculum(text: str) -> ImportPreview:
    """Check the file and describe its effect (new modules with their look-alikes, new and
    changed topics) without writing anything, so a misspelt module is caught by a person."""
    rows = parse_curriculum(text)
    modules = list(Module.objects.values_list("name", flat=True))
    topics = {
        t.code: t
        for t in Topic.objects.filter(code__in=[r[0] for r in rows])
        .select_related("module")
        .prefetch_related("years")
    }
    preview = ImportPreview()
    new_modules: dict[str, int] = {}
    for row in rows:
        code, title, module, years, description = row
        if module not in modules:
            new_modules[module] = new_modules.get(module, 0) + 1
        topic = topics.get(code)
        if topic is None:
            preview.new_topics.append(row)
            continue
        changes = []
        if topic.title != title:
            changes.append(f"title “{topic.title}” → “{title}”")
        if topic.module.name != module:
            changes.append(f"module “{topic.module.name}” → “{module}”")
        if sorted(y.number for y in topic.years.all()) != years:
            changes.append("years " + ";".join(str(y) for y in years))
        if description and topic.description != description:
            changes.append("description")
        if changes:
            preview.changed_topics.append((row, ", ".join(changes)))
        else:
            preview.unchanged += 1
    lowered = {m.lower(): m for m in modules}
    for name, n in new_modules.items():
        near = difflib.get_close_matches(name.lower(), list(lowered), n=3, cutoff=0.75)
        preview.new_modules.append(NewModule(name, n, [lowered[x] for x in near]))
    return preview


def import_curriculum(text: str) -> ImportResult:
    """Apply the whole file or nothing (checked again: the data may have changed meanwhile)."""
    rows = parse_curriculum(text)
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
