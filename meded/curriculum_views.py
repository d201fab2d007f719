"""Committee pages for the curriculum: browse it, import a CSV in the browser, export it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from meded.curriculum import (
    CurriculumImportError,
    curriculum_topics,
    export_curriculum,
    import_curriculum,
)
from meded.models import Module, Year
from meded.roles import committee_required

MAX_CSV_BYTES = 2 * 1024 * 1024


class CurriculumImportForm(forms.Form):
    csv_file = forms.FileField(
        label="Curriculum CSV",
        help_text=(
            "Header: code,title,module,years[,description]; years like 3 or 3;5. "
            "Existing topics are updated by code. All rows are applied, or none."
        ),
    )

    def clean_csv_file(self):
        upload = self.cleaned_data["csv_file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError("This file is larger than 2 MB; is it really a CSV?")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                "This file is not UTF-8 text. Save it from your spreadsheet as "
                "“CSV UTF-8 (comma delimited)”."
            ) from exc


@committee_required
def curriculum(request):
    form = CurriculumImportForm()
    row_errors = []
    if request.method == "POST":
        form = CurriculumImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = import_curriculum(form.cleaned_data["csv_file"])
            except CurriculumImportError as exc:
                row_errors = exc.errors
                form.add_error(
                    "csv_file",
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
    topics = curriculum_topics(**filters)
    page = Paginator(topics, 50).get_page(request.GET.get("page"))
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
    response = HttpResponse(export_curriculum(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="curriculum.csv"'
    return response
