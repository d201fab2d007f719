"""Forms for uploading resources and filtering the library. Rules live in the services."""

from __future__ import annotations

from datetime import timedelta

from django import forms

from meded.models import Module, Topic, Year
from meded.widgets import PlainSelect, PlainSelectMultiple
from sessions_app.resources.chapters import parse_chapters
from sessions_app.resources.models import Resource
from sessions_app.resources.uploads import ALLOWED_BY_KIND, TYPES, UploadRefused, check_upload

Kind = Resource.Kind

_ACCEPT = sorted({"." + TYPES[t].extension for kind in ALLOWED_BY_KIND.values() for t in kind})


def _refused_here(form: forms.Form, field: str, upload, kind: str) -> None:
    try:
        check_upload(upload, kind)
    except UploadRefused as exc:
        form.add_error(field, str(exc))


class _ResourceDetails(forms.Form):
    """What a resource says about itself, shared by the upload and the edit forms."""

    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    duration_minutes = forms.IntegerField(
        label="Length in minutes", required=False, min_value=1, max_value=24 * 60
    )
    visibility = forms.ChoiceField(choices=Resource.Visibility.choices, required=False)
    release_at = forms.DateTimeField(
        label="Release time",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Blank: slides open at the session's start and a recording after it ends.",
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.select_related("module").order_by("code"),
        required=False,
        help_text="Blank: the session's topic.",
        widget=PlainSelectMultiple,
    )

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        if session is None:
            self.fields["visibility"].choices = [
                c for c in Resource.Visibility.choices if c[0] != Resource.Visibility.ATTENDEES
            ]

    def detail_kwargs(self) -> dict:
        d = self.cleaned_data
        minutes = d.get("duration_minutes")
        return {
            "title": d["title"],
            "description": d.get("description", ""),
            "visibility": d.get("visibility") or None,
            "release_at": d.get("release_at"),
            "duration": timedelta(minutes=minutes) if minutes else None,
            "topics": list(d.get("topics") or []),
        }


class ResourceUploadForm(_ResourceDetails):
    field_order = ["kind", "title", "description", "file", "external_url", "captions"]

    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.SLIDES)
    file = forms.FileField(
        required=False,
        help_text=(
            "Slides: PDF or PPTX. Recording: MP4. Guide or handout: PDF, DOCX, PNG or JPEG. "
            "Question bank: PDF, DOCX, CSV or XLSX."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join([*_ACCEPT, ".jpeg"]), "data-dropzone": "true"}
        ),
    )
    external_url = forms.URLField(
        label="Or a web address",
        required=False,
        assume_scheme="https",
        help_text="For a link, or a recording kept on a video platform.",
    )
    captions = forms.FileField(
        label="Captions (WebVTT)",
        required=False,
        help_text="Recordings only: a .vtt captions file.",
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt"}),
    )

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, session=session, **kwargs)
        self.fields["visibility"].choices = [
            ("", "Default for this kind"),
            *self.fields["visibility"].choices,
        ]

    def clean(self):
        data = super().clean()
        if data.get("file") and data.get("external_url"):
            self.add_error("external_url", "Choose a file or a web address, not both.")
        elif not data.get("file") and not data.get("external_url") and "file" not in self.errors:
            self.add_error("file", "Choose a file to upload, or give a web address.")
        if data.get("captions") and data.get("kind") != Kind.RECORDING:
            self.add_error("captions", "Captions belong to a recording.")
        # Each refused file gets its own reason next to its own field (the service checks again).
        if data.get("file") and data.get("kind") and "file" not in self.errors:
            _refused_here(self, "file", data["file"], data["kind"])
        if data.get("captions") and "captions" not in self.errors:
            _refused_here(self, "captions", data["captions"], "captions")
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            **self.detail_kwargs(),
            "kind": d["kind"],
            "upload": d.get("file"),
            "external_url": d.get("external_url", ""),
            "captions": d.get("captions"),
        }


class ResourceEditForm(_ResourceDetails):
    """Change what a resource says and who may open it when; files change by new versions."""

    def __init__(self, *args, resource: Resource, **kwargs):
        minutes = round(resource.duration.total_seconds() / 60) if resource.duration else None
        initial = {
            "title": resource.title,
            "description": resource.description,
            "duration_minutes": minutes,
            "visibility": resource.visibility,
            "release_at": resource.release_at,
            "topics": list(resource.topics.all()),
        }
        super().__init__(*args, session=resource.session, initial=initial, **kwargs)
        self.fields["visibility"].required = True
        self.fields[
            "release_at"
        ].help_text = "Blank: students can open it as soon as it is published."
        self.fields["topics"].help_text = ""
        if resource.kind != Kind.RECORDING:
            del self.fields["duration_minutes"]
            del self.fields["chapters"]
        else:
            self.initial["chapters"] = resource.chapters

    chapters = forms.CharField(
        label="Chapters",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text='One a line, a time then a title, e.g. "0:00 Introduction" and "4:30 Murmurs". '
        "Students see them as buttons that jump the player.",
    )

    def clean_chapters(self) -> str:
        text = self.cleaned_data.get("chapters", "")
        try:
            parse_chapters(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return text.strip()

    def detail_kwargs(self) -> dict:
        kwargs = super().detail_kwargs()
        if "chapters" in self.fields:
            kwargs["chapters"] = self.cleaned_data.get("chapters", "")
        return kwargs


class VersionUploadForm(forms.Form):
    file = forms.FileField(
        label="New version",
        error_messages={"required": "Choose a file to upload."},
        widget=forms.ClearableFileInput(attrs={"data-dropzone": "true"}),
    )


class CaptionsForm(forms.Form):
    captions = forms.FileField(
        label="Captions (WebVTT)",
        error_messages={"required": "Choose a WebVTT (.vtt) captions file."},
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt"}),
    )


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    kind = forms.ChoiceField(choices=[("", "Any kind"), *Kind.choices], required=False)
    year = forms.ModelChoiceField(
        queryset=Year.objects.order_by("number"),
        required=False,
        empty_label="Any year",
        to_field_name="number",
        widget=PlainSelect(attrs={"class": "form-select"}),
    )
    module = forms.ModelChoiceField(
        queryset=Module.objects.order_by("name"),
        required=False,
        empty_label="Any module",
        to_field_name="slug",
        widget=PlainSelect(attrs={"class": "form-select"}),
    )
    topic = forms.CharField(label="Topic code", required=False, max_length=20)
