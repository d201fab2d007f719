"""Committee pages for the curriculum: browse it, import a CSV in the browser, export it."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from meded.exports import csv_response
from meded.roles import committee_required

from .forms import CurriculumImportForm
from .models import Module, Year
from .selectors import curriculum_topics
from .services import EXPORT_HEADER, CurriculumImportError, export_rows, import_curriculum


@committee_required
def curriculum(request):
    form = CurriculumImportForm()
    row_errors = []
    if request.method == "POST":
        form = CurriculumImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = import_curriculum(form.cleaned_data["csv_file"])
            except CurriculumImportError as exc:  # every bad line is listed under the form
                row_errors = exc.errors
                form.add_error(
                    exc.field,
                    f"{len(exc.errors)} problem(s) found, listed below; nothing was imported.",
                )
            else:
                messages.success(
                    request,
                    f"Imported: {result.created} topic(s) created, {result.updated} updated, "
                    f"{len(result.modules_created)} new module(s).",
                )
                return redirect("committee_curriculum")
    filters = {
        "year": request.GET.get("year", ""),
        "module": request.GET.get("module", ""),
        "q": request.GET.get("q", "").strip(),
    }
    page = Paginator(curriculum_topics(**filters), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "meded/curriculum.html",
        {
            "form": form,
            "row_errors": row_errors,
            "page": page,
            "filters": filters,
            "years": Year.objects.all(),
            "modules": Module.objects.all(),
        },
        status=400 if row_errors or form.errors else 200,
    )


@committee_required
def curriculum_export(request):
    return csv_response("curriculum.csv", EXPORT_HEADER, export_rows())
