"""Forms: the questionnaire built from a FeedbackForm, filters, observations, certificates."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone

from feedback.models import FeedbackForm, Question, QuestionType
from feedback.models.observations import RUBRIC, RUBRIC_SCALE
from feedback.models.responses import Mode
from feedback.selectors.filters import (
    YEAR_GROUP_CHOICES,
    Filters,
    current_round,
    filtered_sessions,
    round_bounds,
)
from feedback.services.responses import AnswerInput
from meded.models import Topic, User
from meded.parsing import parse_id
from meded.roles import TUTORS_GROUP
from meded.widgets import QuickSelect, model_options
from sessions_app.models import Series, TeachingSession
from tutors.models import RecruitmentRound


class AnswerForm(forms.Form):
    """One field per question; a per-tutor question gets one field per tutor of the session."""

    def __init__(
        self,
        *args,
        questions: list[Question],
        tutors: list,
        modes: list[str],
        society: list[Question] = (),
        **kw,
    ):
        super().__init__(*args, **kw)
        self.items: list[tuple[str, Question, object]] = []
        self.society_items: list[tuple[str, Question, object]] = []
        self.fields["mode"] = forms.ChoiceField(
            label="How did you take part?",
            choices=[(m, Mode(m).label) for m in modes],
            widget=forms.RadioSelect,
            initial=modes[0] if len(modes) == 1 else None,
        )
        for q in questions:
            about = tutors if q.per_tutor and len(tutors) > 1 else [None]
            for tutor in about:
                name = f"q_{q.key}" + (f"_t{tutor.pk}" if tutor else "")
                label = q.text + (f" — {tutor.full_name or tutor.email}" if tutor else "")
                self.fields[name] = self._field(q, label)
                self.fields[name].question = q
                self.fields[name].tutor = tutor
                self.items.append((name, q, tutor))
        for q in society:
            name = f"s_{q.key}"
            self.fields[name] = self._field(q, q.text)
            self.society_items.append((name, q, None))

    @staticmethod
    def _field(q: Question, label: str) -> forms.Field:
        required = q.required
        if q.is_numeric:
            labels = q.anchors or [str(v) for v in q.scale]
            if q.type == QuestionType.RATING:
                labels = [str(v) for v in q.scale]
            choices = [
                (str(v), f"{v} {lbl}" if q.anchors else str(v))
                for v, lbl in zip(q.scale, labels, strict=True)
            ]
            return forms.TypedChoiceField(
                label=label,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                required=required,
            )
        if q.type == QuestionType.SINGLE:
            return forms.ChoiceField(
                label=label,
                choices=[(c, c) for c in q.choices],
                widget=forms.RadioSelect,
                required=required,
            )
        if q.type == QuestionType.MULTIPLE:
            return forms.MultipleChoiceField(
                label=label,
                choices=[(c, c) for c in q.choices],
                widget=forms.CheckboxSelectMultiple,
                required=required,
            )
        return forms.CharField(
            label=label,
            required=required,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    @property
    def question_count(self) -> int:
        return len(self.items) + len(self.society_items)

    @property
    def minutes(self) -> int:
        """An honest estimate for the page, from the questions shown (the society's too):
        about 8 s a choice, 12 s a pick-several, 40 s a written answer, 10 s to start."""
        cost = {"text": 40, "multiple": 12}
        items = self.items + self.society_items
        seconds = 10 + sum(cost.get(q.type, 8) for _name, q, _tutor in items)
        return max(1, round(seconds / 60))

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, message) for the summary at the top: each links to its question."""
        links = []
        for name, field in self.fields.items():
            if name in self.errors:
                widget = field.widget
                anchor = (
                    f"id_{name}_0"
                    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
                    else f"id_{name}"
                )
                links.append((anchor, f"{field.label}: {' '.join(self.errors[name])}"))
        return links

    def groups(self):
        """(bound field, question, tutor, is_radio_group) in order, for the template."""
        for name, q, tutor in self.items:
            yield self[name], q, tutor

    def society_groups(self):
        for name, q, tutor in self.society_items:
            yield self[name], q, tutor

    def answers(self) -> list[AnswerInput]:
        return [
            AnswerInput(q, self.cleaned_data.get(name), tutor.pk if tutor else None)
            for name, q, tutor in self.items
        ]

    def society_answers(self) -> list[AnswerInput] | None:
        """None when the society's questions were not asked on this page."""
        if not self.society_items:
            return None
        return [AnswerInput(q, self.cleaned_data.get(name)) for name, q, _ in self.society_items]


# The columns each list's labels show (its model's __str__): options are read with these alone.
_LABEL_COLUMNS = {
    "series": ("title",),
    "session": ("title",),
    "tutor": ("full_name", "email", "erased_at"),
    "topic": ("code", "title"),
}


class FilterForm(forms.Form):
    """The committee's feedback filters. A visit without a round opens on the current round;
    "All rounds" is a choice. The session list holds the chosen series or round only (never
    every session ever); a session from elsewhere is still accepted when a link names it."""

    round = forms.ModelChoiceField(
        RecruitmentRound.objects.order_by("-applications_open"),
        required=False,
        empty_label="All rounds",
    )
    series = forms.ModelChoiceField(
        Series.objects.order_by("title"), required=False, empty_label="All series"
    )
    session = forms.ModelChoiceField(
        TeachingSession.objects.none(),
        required=False,
        empty_label="All sessions",
        help_text="Sessions of the chosen round or series.",
    )
    tutor = forms.ModelChoiceField(
        User.objects.filter(groups__name=TUTORS_GROUP).order_by("full_name"),
        required=False,
        empty_label="All tutors",
    )
    topic = forms.ModelChoiceField(
        Topic.objects.order_by("code"), required=False, empty_label="All topics"
    )
    year_group = forms.ChoiceField(choices=YEAR_GROUP_CHOICES, required=False, label="Year group")

    def __init__(self, data=None, *args, **kw):
        data = data.copy() if data is not None else {}
        # every round, read once: the list to choose from, the default and the chosen one's dates
        self.rounds = list(self.base_fields["round"].queryset.all())
        if "round" not in data:
            current = current_round(rounds=self.rounds)
            data["round"] = str(current.pk) if current else ""
        super().__init__(data, *args, **kw)
        pk = parse_id(self.data.get("round"))
        chosen_round = next((r for r in self.rounds if r.pk == pk), None)
        self.round_bounds = round_bounds(chosen_round, self.rounds) if chosen_round else None
        scope = Filters(
            round=chosen_round,
            series=self._chosen(Series, "series"),
            bounds=self.round_bounds,
        )
        chosen = parse_id(self.data.get("session"))
        scoped = (
            filtered_sessions(scope).values("pk")
            if scope.round or scope.series
            else TeachingSession.objects.none().values("pk")
        )
        self.fields["session"].queryset = TeachingSession.objects.filter(
            Q(pk__in=scoped) | Q(pk=chosen or 0)
        ).order_by("-starts_at", "pk")
        rounds = [("", self.fields["round"].empty_label)] + [
            (r.pk, self.fields["round"].label_from_instance(r)) for r in self.rounds
        ]
        for name, field in self.fields.items():
            columns = _LABEL_COLUMNS.get(name)
            choices = model_options(field, *columns) if columns else field.choices
            choices = rounds if name == "round" else choices
            field.widget = QuickSelect(attrs={"class": "form-select"}, choices=choices)

    def _chosen(self, model, name: str):
        pk = parse_id(self.data.get(name))
        return model.objects.filter(pk=pk).first() if pk else None

    def filters(self):
        data = self.cleaned_data if self.is_valid() else {}
        round = None if data.get("session") else data.get("round")  # a named session wins
        known = round is not None and self.round_bounds and round.pk == parse_id(self.data["round"])
        return Filters(
            round=round,
            bounds=self.round_bounds if known else None,
            series=data.get("series"),
            session=data.get("session"),
            tutor_id=data["tutor"].pk if data.get("tutor") else None,
            topic_id=data["topic"].pk if data.get("topic") else None,
            year_group=data.get("year_group") or "",
        )

    def query(self) -> dict[str, str]:
        """The filters as chosen, the default round included, for links that keep them."""
        return {k: str(v) for k, v in self.data.items() if k in self.fields and (v or k == "round")}


class ObservationForm(forms.Form):
    tutor = forms.ModelChoiceField(User.objects.none(), label="Tutor observed")
    strengths = forms.CharField(label="What went well", widget=forms.Textarea(attrs={"rows": 4}))
    suggestions = forms.CharField(
        label="Suggestions for next time", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, session: TeachingSession, observer, **kw):
        super().__init__(*args, **kw)
        self.fields["tutor"].queryset = session.tutors.exclude(pk=observer.pk)
        self.fields["tutor"].widget.attrs["class"] = "form-select"
        for key, label in RUBRIC:
            self.fields[f"score_{key}"] = forms.TypedChoiceField(
                label=label,
                choices=[(str(v), f"{v} {t}") for v, t in RUBRIC_SCALE],
                coerce=int,
                widget=forms.RadioSelect,
            )

    def rubric_fields(self):
        return [self[f"score_{key}"] for key, _ in RUBRIC]

    def scores(self) -> dict[str, int]:
        return {key: self.cleaned_data[f"score_{key}"] for key, _ in RUBRIC}


class TeachingCertificateForm(forms.Form):
    round = forms.ModelChoiceField(
        RecruitmentRound.objects.order_by("-applications_open"),
        required=False,
        empty_label="— or choose dates below —",
        label="Recruitment round",
    )
    start = forms.DateField(required=False, label="From", widget=forms.DateInput({"type": "date"}))
    end = forms.DateField(required=False, label="To", widget=forms.DateInput({"type": "date"}))

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["round"].widget.attrs["class"] = "form-select"
        self.fields["start"].widget.attrs["class"] = "form-control"
        self.fields["end"].widget.attrs["class"] = "form-control"

    def clean(self):
        data = super().clean()
        if data.get("round"):
            start, end = round_bounds(data["round"])
            data["start"] = timezone.localtime(start).date()
            data["end"] = timezone.localtime(end).date() if end else timezone.localdate()
            data["label"] = f"Teaching certificate, {data['round'].name}"
        elif not (data.get("start") and data.get("end")):
            raise forms.ValidationError("Choose a recruitment round, or both dates.")
        return data


class AttendanceCertificateForm(forms.Form):
    series = forms.ModelChoiceField(Series.objects.none(), label="Series you attended")

    def __init__(self, *args, series_qs, **kw):
        super().__init__(*args, **kw)
        self.fields["series"].queryset = series_qs


class QuestionEditForm(forms.ModelForm):
    """One question of a feedback form; options one per line."""

    choices_text = forms.CharField(
        label="Options (one per line, for choice questions)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    anchors_text = forms.CharField(
        label="Five Likert labels (one per line; blank for disagree…agree)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    class Meta:
        model = Question
        fields = ["order", "key", "text", "type", "required", "per_tutor"]

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        for name in ["order", "key", "text"]:
            self.fields[name].widget.attrs["class"] = "form-control"
        self.fields["type"].widget.attrs["class"] = "form-select"
        self.fields["required"].widget.attrs["class"] = "form-check-input"
        self.fields["per_tutor"].widget.attrs["class"] = "form-check-input"
        if self.instance.pk:
            self.initial["choices_text"] = "\n".join(self.instance.choices)
            self.initial["anchors_text"] = "\n".join(self.instance.anchor_labels)

    def clean(self):
        data = super().clean()
        lines = lambda v: [x.strip() for x in (v or "").splitlines() if x.strip()]  # noqa: E731
        choices, anchors = lines(data.get("choices_text")), lines(data.get("anchors_text"))
        qtype = data.get("type")
        if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE) and len(choices) < 2:
            self.add_error("choices_text", "A choice question needs at least two options.")
        if anchors and len(anchors) != 5:
            self.add_error("anchors_text", "Give exactly five labels, or none.")
        if self.instance.pk and "type" in self.changed_data and self.instance.answers.exists():
            self.add_error("type", "This question already has answers; its type cannot change.")
        self.instance.choices = choices
        self.instance.anchor_labels = anchors
        return data


QuestionFormSet = forms.inlineformset_factory(
    FeedbackForm, Question, form=QuestionEditForm, extra=1, can_delete=True
)


class CopyFormForm(forms.Form):
    source = forms.ModelChoiceField(FeedbackForm.objects.all(), label="Start from")
    round = forms.ModelChoiceField(
        RecruitmentRound.objects.order_by("-applications_open"),
        required=False,
        empty_label="Standard (every round)",
        label="For round",
    )
    kind = forms.ChoiceField(
        choices=[("", "Any kind of session"), *TeachingSession.Kind.choices],
        required=False,
        label="For sessions of kind",
    )

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"
