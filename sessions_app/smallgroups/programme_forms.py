"""The committee's programme form: tutors as lines of "email, groups" (no dragging, no JS)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from meded.models import Module, Topic, User, Year
from meded.roles import TUTORS_GROUP

from .forms import _date_field
from .programmes import Leader


class StyledForm(forms.Form):
    """Bootstrap classes, and each field described by its help and its error (for readers)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs.setdefault("class", "form-select" if select else "form-control")
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-help"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] += " is-invalid"
                described = widget.attrs.get("aria-describedby", "")
                widget.attrs["aria-describedby"] = f"{described} id_{name}-error".strip()


class ProgrammeForm(StyledForm):
    title = forms.CharField(max_length=150)
    year = forms.ModelChoiceField(Year.objects.all(), label="Year of study")
    module = forms.ModelChoiceField(Module.objects.all(), required=False)
    topics = forms.ModelMultipleChoiceField(
        Topic.objects.all(), required=False, help_text="Optional: the topics the groups cover."
    )
    group_size = forms.IntegerField(min_value=1, max_value=30, initial=6, label="Group size")
    minutes = forms.TypedChoiceField(
        coerce=int,
        choices=[(m, f"{m} minutes") for m in range(30, 241, 30)],
        initial=60,
        label="Meeting length",
    )
    first_day = _date_field("First day of the term")
    weeks = forms.IntegerField(min_value=1, max_value=20, initial=8, label="Weeks")
    venue = forms.CharField(max_length=200, label="Where the groups meet")
    leaders = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Tutors who lead groups",
        help_text='One a line: "email, groups" (groups optional, default 1).',
    )

    def clean_leaders(self) -> list[Leader]:
        rows, problems = [], []
        for n, line in enumerate(self.cleaned_data["leaders"].splitlines(), start=1):
            if not line.strip():
                continue
            email, _, groups = (p.strip() for p in line.partition(","))
            if groups and not (groups.isascii() and groups.isdigit() and 1 <= int(groups) <= 10):
                problems.append(f"line {n}: groups must be a number from 1 to 10")
                continue
            rows.append((n, email.lower(), int(groups or 1)))
        tutors = {
            u.email.lower(): u
            for u in User.objects.filter(email__in=[r[1] for r in rows], groups__name=TUTORS_GROUP)
        }
        for n, email, _ in rows:
            if email not in tutors:
                problems.append(f"line {n}: {email or 'an empty email'} is not a tutor")
        if problems:
            raise ValidationError("; ".join(problems))
        return [Leader(tutors[email], groups) for _, email, groups in rows]


class MoveForm(StyledForm):
    student = forms.TypedChoiceField(coerce=int, label="Student")
    group = forms.TypedChoiceField(coerce=int, label="To the group")

    def __init__(self, review, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["student"].choices = [
            (e.student_id, f"{e.student} ({e.student.email})") for e in review.enrolments
        ]
        self.fields["group"].choices = [
            (g.pk, f"{g.day} {g.time}, {g.tutor} ({len(g.members.all())})") for g in review.groups
        ]


class AskToMoveForm(StyledForm):
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What would suit you better?",
    )
