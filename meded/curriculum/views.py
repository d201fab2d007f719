"""Committee pages for the curriculum: browse it, import a CSV in the browser, export it."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from meded.exports import csv_response
from meded.remember import page_parts, remember_html
from meded.roles import committee_required

from .forms import CurriculumImportForm
from .models import Module, Year
from .selectors import curriculum_topics
from .services import (
    EXPORT_HEADER,
    CurriculumImportError,
    export_rows,
    import_curriculum,
    preview_curriculum,
)

PENDING = "meded.curriculum.pending_import"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _apply(request):
    """Apply the file the committee previewed (kept in their session, named by its digest)."""
    text = request.session.get(PENDING, "")
    if not text or request.POST.get("digest") != _digest(text):
        messages.error(request, "That preview has expired: upload the file again.")
        return redirect("committee_curriculum")
    try:
        result = import_curriculum(text)
    except CurriculumImportError as exc:
        messages.error(request, f"Nothing was imported: {exc}")
        return redirect("committee_curriculum")
    del request.session[PENDING]
    messages.success(
        request,
        f"Imported: {result.created} topic(s) created, {result.updated} updated, "
        f"{len(result.modules_created)} new module(s).",
    )
    return redirect("committee_curriculum")


@committee_required
def curriculum(request):
    form = CurriculumImportForm()
    row_errors = []
    if request.method == "POST" and request.POST.get("action") == "apply":
        return _apply(request)
    if request.method == "POST" and request.POST.get("action") == "cancel":
        request.session.pop(PENDING, None)
        messages.info(request, "Import cancelled; nothing changed.")
        return redirect("committee_curriculum")
    if request.method == "POST":
        form = CurriculumImportForm(request.POST, request.FILES)
        if form.is_valid():
            text = form.cleaned_data["csv_file"]
            try:
                preview = preview_curriculum(text)
            except CurriculumImportError as exc:  # every bad line is listed under the form
                row_errors = exc.errors
                form.add_error(
                    exc.field,
                    f"{len(exc.errors)} problem(s) found, listed below; nothing was imported.",
                )
            else:
                request.session[PENDING] = text
                return render(
                    request,
                    "meded/curriculum_preview.html",
                    {"preview": preview, "digest": _digest(text)},
                )
    filters = {
        "year": request.GET.get("year", ""),
        "module": request.GET.get("module", ""),
        "q": request.GET.get("q", "").strip(),
    }

    def context() -> dict:
        return {
            "form": form,
            "row_errors": row_errors,
            "page": Paginator(curriculum_topics(**filters), 50).get_page(request.GET.get("page")),
            "filters": filters,
            "years": Year.objects.all(),
            "modules": Module.objects.all(),
        }

    body = remember_html(
        request, "committee_curriculum", page_parts(request), "meded/_curriculum_body.html", context
    )
    return render(
        request,
        "meded/curriculum.html",
        {"body": body},
        status=400 if row_errors or form.errors else 200,
    )


@committee_required
def curriculum_export(request):
    return csv_response("curriculum.csv", EXPORT_HEADER, export_rows())
