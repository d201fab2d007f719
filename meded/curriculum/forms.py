"""The curriculum upload: a UTF-8 CSV of reasonable size, read as text for the import."""

from django import forms

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
