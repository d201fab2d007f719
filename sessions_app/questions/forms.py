"""Forms for the question pages; each hands plain values to a service."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from meded.curriculum.models import Module, Topic, Year
from meded.parsing import parse_id
from sessions_app.scheduling.models import TeachingSession

from .bank import QuestionContent
from .models import LETTER_CHOICES, PracticeSet, QuestionFlag, Review

MAX_CSV_BYTES = 2 * 1024 * 1024


def open_sessions(sessions: QuerySet, keep: int | None = None) -> QuerySet:
    """Sessions ending today or later, and the one already chosen (`keep`): a new paper or
    station is for a coming session, and the choice stays short however long the society's
    history. Cut at the start of today so the query (and a remembered form) holds all day."""
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    ending = Q(ends_at__gte=today)
    return sessions.filter(ending | Q(pk=keep) if keep else ending)


class QuestionForm(forms.Form):
    stem = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Stem")
    image = forms.FileField(
        required=False, help_text="Optional: PNG, JPEG, GIF or WebP up to 2 MB; kept private."
    )
    image_alt = forms.CharField(
        required=False,
        max_length=300,
        label="Image description",
        help_text="What the image shows, for screen-reader users.",
    )
    option_a = forms.CharField(max_length=500, label="Option A")
    option_b = forms.CharField(max_length=500, label="Option B")
    option_c = forms.CharField(max_length=500, label="Option C")
    option_d = forms.CharField(max_length=500, label="Option D")
    option_e = forms.CharField(max_length=500, label="Option E")
    answer = forms.ChoiceField(choices=LETTER_CHOICES, widget=forms.RadioSelect, label="Correct")
    explanation = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    reference = forms.CharField(max_length=500, required=False)
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.select_related("module"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="One or more curriculum topics.",
    )
    year = forms.ModelChoiceField(queryset=Year.objects.all(), required=False)

    @classmethod
    def initial_from(cls, version) -> dict:
        data = {
            "stem": version.stem,
            "image_alt": version.image_alt,
            "answer": version.answer,
            "explanation": version.explanation,
            "reference": version.reference,
            "topics": list(version.topics.all()),
            "year": version.year,
        }
        for letter, text in version.options:
            data[f"option_{letter.lower()}"] = text
        return data

    def content(self) -> QuestionContent:
        d = self.cleaned_data
        return QuestionContent(
            stem=d["stem"],
            options=[d[f"option_{x}"] for x in "abcde"],
            answer=d["answer"],
            explanation=d["explanation"],
            topics=list(d["topics"]),
            year=d["year"],
            reference=d["reference"],
            image=d.get("image"),
            image_alt=d["image_alt"],
        )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=Review.Decision.choices, widget=forms.RadioSelect)
    comments = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required when returning or rejecting: what should change.",
    )


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        choices=[c for c in QuestionFlag.Reason.choices if c[0] != "statistics"],
        label="What is wrong?",
    )
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Questions CSV",
        help_text="Header: topic_code,stem,option_a,option_b,option_c,option_d,option_e,answer,"
        "explanation. Several topic codes are separated by ;. All rows are added, or none.",
    )
    publish = forms.BooleanField(
        required=False, label="Publish at once (otherwise they wait for review)"
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError("This file is larger than 2 MB; is it really a CSV?")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                "This file is not UTF-8 text. Save it as “CSV UTF-8 (comma delimited)”."
            ) from exc


class PracticeForm(forms.Form):
    SCOPES = [("year", "My year"), ("module", "A module"), ("topics", "Chosen topics")]
    scope = forms.ChoiceField(
        choices=SCOPES, widget=forms.RadioSelect, initial="year", label="Questions from"
    )
    module = forms.ModelChoiceField(queryset=Module.objects.all(), required=False)
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.select_related("module"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    count = forms.IntegerField(min_value=1, max_value=50, initial=10, label="How many questions")
    mode = forms.ChoiceField(
        choices=PracticeSet.Mode.choices, widget=forms.RadioSelect, initial="one"
    )

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if scope == "module" and not data.get("module"):
            self.add_error("module", "Choose a module.")
        if scope == "topics" and not data.get("topics"):
            self.add_error("topics", "Choose at least one topic.")
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "module": d["module"] if d["scope"] == "module" else None,
            "topics": list(d["topics"]) if d["scope"] == "topics" else [],
            "my_year": d["scope"] == "year",
            "count": d["count"],
            "mode": d["mode"],
        }


class PaperForm(forms.Form):
    title = forms.CharField(max_length=200)
    session = forms.ModelChoiceField(
        queryset=TeachingSession.objects.filter(kind=TeachingSession.Kind.MOCK_EXAM).exclude(
            status=TeachingSession.Status.CANCELLED
        ),
        required=False,
        help_text="A mock-exam session; students with a confirmed place sit the paper.",
    )
    time_limit_minutes = forms.IntegerField(
        min_value=1, max_value=600, initial=60, label="Time limit (minutes)"
    )

    def __init__(self, *args, current_session: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["session"]
        field.queryset = open_sessions(field.queryset, current_session)


class FixedQuestionsForm(forms.Form):
    question_ids = forms.CharField(
        label="Question numbers", help_text="Separated by commas or spaces, e.g. 12, 15, Q31."
    )

    def clean_question_ids(self):
        raw = self.cleaned_data["question_ids"].replace(",", " ").split()
        ids = []
        for token in raw:
            token = token.upper().removeprefix("Q")
            number = parse_id(token)
            if number is None:
                raise forms.ValidationError(f"{token[:20]!r} is not a question number.")
            ids.append(number)
        if not ids:
            raise forms.ValidationError("Give at least one question number.")
        return ids


class BlueprintForm(forms.Form):
    """One number field per module: how many questions to draw from it."""

    def __init__(self, *args, modules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.modules = list(modules)
        for m in self.modules:
            self.fields[f"module_{m.pk}"] = forms.IntegerField(
                min_value=0, max_value=100, required=False, label=m.name
            )

    def per_module(self) -> dict:
        return {m: self.cleaned_data.get(f"module_{m.pk}") or 0 for m in self.modules}
