"""Forms for uploading resources and filtering the library. Rules live in the services."""

from __future__ import annotations

from datetime import timedelta

from django import forms

from meded.models import Module, Topic, Year
from sessions_app.models import Resource
from sessions_app.services.uploads import ALLOWED_BY_KIND, TYPES

Kind = Resource.Kind

_ACCEPT = sorted({"." + TYPES[t].extension for kind in ALLOWED_BY_KIND.values() for t in kind})


class ResourceUploadForm(forms.Form):
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.SLIDES)
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
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
    duration_minutes = forms.IntegerField(
        label="Length in minutes", required=False, min_value=1, max_value=24 * 60
    )
    visibility = forms.ChoiceField(choices=Resource.Visibility.choices, required=False)
    release_at = forms.DateTimeField(
        label="Release time",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Blank: slides open at the session's start and a recording after it ends.",
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.select_related("module").order_by("code"),
        required=False,
        help_text="Blank: the session's topic.",
    )

    def __init__(self, *args, session=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        if session is None:
            self.fields["visibility"].choices = [
                c for c in Resource.Visibility.choices if c[0] != Resource.Visibility.ATTENDEES
            ]
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
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        minutes = d.get("duration_minutes")
        return {
            "kind": d["kind"],
            "title": d["title"],
            "description": d.get("description", ""),
            "upload": d.get("file"),
            "external_url": d.get("external_url", ""),
            "captions": d.get("captions"),
            "visibility": d.get("visibility") or None,
            "release_at": d.get("release_at"),
            "duration": timedelta(minutes=minutes) if minutes else None,
            "topics": list(d.get("topics") or []),
        }


class VersionUploadForm(forms.Form):
    file = forms.FileField(
        label="New version", widget=forms.ClearableFileInput(attrs={"data-dropzone": "true"})
    )


class CaptionsForm(forms.Form):
    captions = forms.FileField(
        label="Captions (WebVTT)", widget=forms.ClearableFileInput(attrs={"accept": ".vtt"})
    )


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    kind = forms.ChoiceField(choices=[("", "Any kind"), *Kind.choices], required=False)
    year = forms.ModelChoiceField(
        queryset=Year.objects.order_by("number"),
        required=False,
        empty_label="Any year",
        to_field_name="number",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    module = forms.ModelChoiceField(
        queryset=Module.objects.order_by("name"),
        required=False,
        empty_label="Any module",
        to_field_name="slug",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    topic = forms.CharField(label="Topic code", required=False, max_length=20)
