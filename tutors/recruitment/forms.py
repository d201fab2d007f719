"""Forms for applying, the committee's round set-up, scoring, slots and decisions."""

from __future__ import annotations

from functools import partial

import filetype
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from meded.accounts.models import YearOfStudy
from tutors.models import (
    Availability,
    Decision,
    InterviewSlot,
    Question,
    Recommendation,
    RecruitmentRound,
    RubricCriterion,
)
from tutors.recruitment.apply_reads import application_answers, round_questions

CV_MIMETYPES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
}
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def validate_cv(upload) -> None:
    """Accept PDF or DOCX by content (not by name), within the size limit."""
    limit = settings.MEDED_MAX_CV_BYTES
    if upload.size > limit:
        raise forms.ValidationError(f"The file is too large: the limit is {filesizeformat(limit)}.")
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in CV_MIMETYPES:
        raise forms.ValidationError("Upload a PDF or a Word (.docx) document.")


class ApplicationForm(forms.Form):
    """Built-in questions plus the round's custom ones; a draft skips the required checks."""

    year_of_study = forms.ChoiceField(choices=[("", "Choose…"), *YearOfStudy.choices])
    motivation = forms.CharField(
        label="Why do you want to teach?", widget=forms.Textarea(attrs={"rows": 4})
    )
    experience = forms.CharField(
        label="Teaching experience",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Any teaching, tutoring, mentoring or presenting. “None yet” is fine.",
    )
    strengths = forms.CharField(
        label="Subjects of strength", max_length=500, help_text="e.g. cardiology, anatomy."
    )
    availability = forms.MultipleChoiceField(
        label="Availability for teaching",
        choices=Availability.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, round: RecruitmentRound, application=None, draft=False, **kwargs):
        self.round = round
        self.questions = round_questions(round.pk)  # compiled once per process, as the answers
        answers = (
            {a.question_id: a for a in application_answers(application.pk)} if application else {}
        )
        initial = kwargs.pop("initial", {}) or {}
        if application:
            for name in ("year_of_study", "motivation", "experience", "strengths", "availability"):
                initial[name] = getattr(application, name)
        super().__init__(*args, initial=initial, **kwargs)
        for q in self.questions:
            answer = answers.get(q.pk)
            field = self._field_for(q, answer)
            self.fields[f"q_{q.pk}"] = field
            if answer is not None:
                self.initial[f"q_{q.pk}"] = (
                    answer.choices if q.kind == Question.Kind.MULTIPLE_CHOICE else answer.text
                )
        if draft:
            for field in self.fields.values():
                field.required = False

    @staticmethod
    def _field_for(q: Question, answer) -> forms.Field:
        common = {"label": q.label, "help_text": q.help_text, "required": q.required}
        K = Question.Kind
        if q.kind == K.SHORT_TEXT:
            return forms.CharField(max_length=300, **common)
        if q.kind == K.LONG_TEXT:
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), **common)
        if q.kind == K.SINGLE_CHOICE:
            return forms.ChoiceField(
                choices=[(c, c) for c in q.choice_list], widget=forms.RadioSelect, **common
            )
        if q.kind == K.MULTIPLE_CHOICE:
            return forms.MultipleChoiceField(
                choices=[(c, c) for c in q.choice_list],
                widget=forms.CheckboxSelectMultiple,
                **common,
            )
        if q.kind == K.YES_NO:
            return forms.ChoiceField(
                choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect, **common
            )
        help_text = (q.help_text + " " if q.help_text else "") + (
            f"PDF or Word (.docx), up to {filesizeformat(settings.MEDED_MAX_CV_BYTES)}."
        )
        if answer is not None and answer.file:
            help_text += f" Uploaded: {answer.file_name}. Choose a file only to replace it."
            common["required"] = False
        return forms.FileField(
            validators=[validate_cv],
            widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,application/pdf"}),
            **{**common, "help_text": help_text},
        )

    def service_arguments(self) -> tuple[dict, dict]:
        data = self.cleaned_data
        fields = {
            name: data.get(name) or ([] if name == "availability" else "")
            for name in ("year_of_study", "motivation", "experience", "strengths", "availability")
        }
        answers = {}
        for q in self.questions:
            value = data.get(f"q_{q.pk}")
            if q.kind == Question.Kind.FILE:
                answers[q.pk] = {"file": value or None}
            elif q.kind == Question.Kind.MULTIPLE_CHOICE:
                answers[q.pk] = {"choices": list(value or [])}
            else:
                answers[q.pk] = {"text": value or ""}
        return fields, answers


class RoundForm(forms.ModelForm):
    class Meta:
        model = RecruitmentRound
        fields = [
            "name",
            "term",
            "applications_open",
            "applications_close",
            "interviews_open",
            "interviews_close",
            "ranking_opens",
            "ranking_closes",
            "min_rank",
            "max_rank",
            "max_topics_per_tutor",
            "blind_review",
            "hide_scores_until_scored",
            "review_required_for_resources",
        ]
        widgets = {
            name: DATETIME
            for name in (
                "applications_open",
                "applications_close",
                "interviews_open",
                "interviews_close",
                "ranking_opens",
                "ranking_closes",
            )
        }


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = ["label", "kind", "help_text", "required", "choices", "order"]
        widgets = {"choices": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        choices = [c for c in (data.get("choices") or "").splitlines() if c.strip()]
        if (
            kind in (Question.Kind.SINGLE_CHOICE, Question.Kind.MULTIPLE_CHOICE)
            and len(choices) < 2
        ):
            self.add_error("choices", "Give at least two choices, one per line.")
        return data


class CriterionForm(forms.ModelForm):
    class Meta:
        model = RubricCriterion
        fields = ["stage", "name", "weight"]


SCORE_CHOICES = [(str(i), str(i)) for i in range(1, 6)]


class ScoreForm(forms.Form):
    """One 1-5 field per rubric criterion, plus a comment (and a recommendation for interviews)."""

    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, criteria, interview=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"c_{c.pk}"] = forms.TypedChoiceField(
                label=f"{c.name} (weight {c.weight})",
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "score-radio"}),
            )
        if interview:
            self.fields["recommendation"] = forms.ChoiceField(choices=Recommendation.choices)
        self.order_fields([f"c_{c.pk}" for c in self.criteria] + ["recommendation", "comment"])

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"c_{c.pk}"] for c in self.criteria}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=Decision.choices)
    message = forms.CharField(
        label="Personal message (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    feedback_note = forms.CharField(
        label="Feedback if unsuccessful (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label="Reason to accept without a score or interview (committee only)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed only to accept an applicant nobody has scored or interviewed.",
    )


class SlotForm(forms.ModelForm):
    class Meta:
        model = InterviewSlot
        fields = [
            "starts_at",
            "duration_minutes",
            "capacity",
            "location",
            "online_url",
            "interviewers",
        ]
        widgets = {"starts_at": DATETIME, "interviewers": forms.CheckboxSelectMultiple}
        field_classes = {"online_url": partial(forms.URLField, assume_scheme="https")}

    def __init__(self, *args, interviewer_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if interviewer_choices is not None:
            self.fields["interviewers"].queryset = interviewer_choices

    def clean(self):
        data = super().clean()
        if not data.get("location") and not data.get("online_url"):
            self.add_error("location", "Give a room or an online link.")
        return data
