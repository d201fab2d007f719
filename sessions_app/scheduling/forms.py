"""Forms for browsing filters, committee scheduling, and check-in."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MinValueValidator

from meded.models import Year
from meded.roles import TUTORS_GROUP
from meded.widgets import PlainSelect, PlainSelectMultiple, QuickSelect
from sessions_app.scheduling.choices import filter_choices
from sessions_app.scheduling.models import Series, TeachingSession
from sessions_app.scheduling.selectors import SessionFilters
from sessions_app.scheduling.services import find_clashes, session_problems

DT_FORMAT = "%Y-%m-%dT%H:%M"
CAPACITY_MESSAGE = "Places must be at least 1; leave empty for unlimited."


def dt_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DT_FORMAT)


def bootstrap(form: forms.Form) -> None:
    """Bootstrap classes on plain widgets (templates that do not use crispy)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple)):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control")


class SessionFilterForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=100)
    # Every select writes its options in plain Python (meded/widgets.py): this form is rendered
    # again on every list and calendar visit after a write.
    year = forms.TypedChoiceField(
        label="Year", required=False, coerce=int, empty_value=None, widget=PlainSelect
    )
    module = forms.ChoiceField(label="Module", required=False, widget=QuickSelect)
    kind = forms.ChoiceField(
        label="Kind",
        required=False,
        choices=[("", "Any kind"), *TeachingSession.Kind.choices],
        widget=PlainSelect,
    )
    delivery = forms.ChoiceField(
        label="Delivery",
        required=False,
        choices=[("", "Any delivery"), *TeachingSession.Delivery.choices],
        widget=PlainSelect,
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    topic = forms.ChoiceField(label="Topic", required=False, widget=QuickSelect)
    has_places = forms.BooleanField(label="Only with places left", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "All years")] + [
            (str(n), f"Year {n}") for n in range(1, 7)
        ]
        modules, topics = filter_choices()
        self.fields["module"].choices = modules
        self.fields["topic"].choices = topics
        bootstrap(self)

    def filters(self) -> SessionFilters:
        self.is_valid()  # a bad value drops only its own filter, with a message by the field
        data = self.cleaned_data
        return SessionFilters(
            year=data.get("year"),
            module=data.get("module") or "",
            topic=data.get("topic") or "",
            kind=data.get("kind") or "",
            delivery=data.get("delivery") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            has_places=bool(data.get("has_places")),
            q=(data.get("q") or "").strip(),
        )


TUTOR_LABEL_FIELDS = ("id", "full_name", "email", "year_of_study")


class TutorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name or obj.email} (year {obj.year_of_study})"


class SessionForm(forms.ModelForm):
    tutors = TutorChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        widget=PlainSelectMultiple(attrs={"size": 8}),
        help_text="Hold Ctrl (Cmd on a Mac) to choose more than one. Left empty on a new "
        "session, the tutors allocated to its topic are filled in.",
    )
    target_years = forms.ModelMultipleChoiceField(
        queryset=Year.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave all unticked for every year.",
    )
    join_link = forms.URLField(
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Shown only to booked students, tutors and committee.",
    )
    new_series = forms.CharField(
        label="Or start a new series",
        required=False,
        max_length=200,
        help_text='e.g. "Year 3 Cardiology lecture series"; leave blank to use the one above.',
    )
    new_series_bookable = forms.BooleanField(
        label="Students may book the new series as a whole", required=False
    )
    go_ahead = forms.BooleanField(
        label="Save anyway despite the clashes above", required=False, widget=forms.CheckboxInput
    )

    class Meta:
        model = TeachingSession
        fields = [
            "title",
            "description",
            "topic",
            "series",
            "kind",
            "delivery",
            "starts_at",
            "ends_at",
            "venue",
            "join_link",
            "capacity",
            "target_years",
            "tutors",
            "booking_opens",
            "booking_closes",
            "cancellation_deadline_hours",
            "auto_confirm_waitlist",
        ]
        widgets = {
            "starts_at": dt_widget(),
            "ends_at": dt_widget(),
            "booking_opens": dt_widget(),
            "booking_closes": dt_widget(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "topic": PlainSelect,
            "series": PlainSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(groups__name=TUTORS_GROUP)
        if self.instance.pk:
            users = users | get_user_model().objects.filter(teaching_sessions=self.instance)
        # only what the labels show: the lists are read afresh after any write to their tables
        self.fields["tutors"].queryset = (
            users.distinct().order_by("full_name", "email").only(*TUTOR_LABEL_FIELDS)
        )
        self.fields["series"].queryset = Series.objects.all()
        for name in ("starts_at", "ends_at", "booking_opens", "booking_closes"):
            self.fields[name].input_formats = [DT_FORMAT, "%Y-%m-%d %H:%M"]
        capacity = self.fields["capacity"]
        capacity.validators.append(MinValueValidator(1, message=CAPACITY_MESSAGE))
        capacity.widget.attrs["min"] = 1
        self.clashes = []

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The session must end after it starts.")
        problems = session_problems(
            starts_at=starts,
            delivery=data.get("delivery"),
            venue=data.get("venue"),
            join_link=data.get("join_link"),
            booking_opens=data.get("booking_opens"),
            booking_closes=data.get("booking_closes"),
        )
        for problem in problems:
            self.add_error(problem.field, str(problem))
        new_series = (data.get("new_series") or "").strip()
        data["new_series"] = new_series
        if new_series and data.get("series"):
            self.add_error("new_series", "Choose an existing series or name a new one, not both.")
        elif new_series and Series.objects.filter(title__iexact=new_series).exists():
            self.add_error("new_series", "A series with this title exists; choose it above.")
        if starts and ends and not self.errors:
            self.clashes = find_clashes(
                starts_at=starts,
                ends_at=ends,
                venue=data.get("venue") or "",
                tutor_ids=[t.pk for t in data.get("tutors") or []],
                year_ids=[y.pk for y in data.get("target_years") or []],
                exclude_pk=self.instance.pk,
            )
            if self.clashes and not data.get("go_ahead"):
                raise forms.ValidationError(
                    "This session clashes with others (listed above). Tick “Save anyway” to "
                    "keep it, or change the time, venue, tutors or years."
                )
        return data


class CancelSessionForm(forms.Form):
    confirm = forms.BooleanField(
        label="Yes, cancel this session (you will see the emails before anyone is told)",
        required=True,
    )
