"""Forms for browsing filters, committee scheduling, and check-in."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from meded.models import Module, Year
from meded.roles import TUTORS_GROUP
from sessions_app.models import Series, TeachingSession
from sessions_app.selectors import SessionFilters

DT_FORMAT = "%Y-%m-%dT%H:%M"


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
    year = forms.TypedChoiceField(label="Year", required=False, coerce=int, empty_value=None)
    module = forms.ChoiceField(label="Module", required=False)
    kind = forms.ChoiceField(
        label="Kind", required=False, choices=[("", "Any kind"), *TeachingSession.Kind.choices]
    )
    delivery = forms.ChoiceField(
        label="Delivery",
        required=False,
        choices=[("", "Any delivery"), *TeachingSession.Delivery.choices],
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    has_places = forms.BooleanField(label="Only with places left", required=False)
    topic = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "All years")] + [
            (str(n), f"Year {n}") for n in range(1, 7)
        ]
        self.fields["module"].choices = [
            ("", "All modules"),
            *Module.objects.values_list("slug", "name"),
        ]
        bootstrap(self)

    def filters(self) -> SessionFilters:
        data = self.cleaned_data if self.is_valid() else {}
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


class TutorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name or obj.email} (year {obj.year_of_study})"


class SessionForm(forms.ModelForm):
    tutors = TutorChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="Hold Ctrl (Cmd on a Mac) to choose more than one.",
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
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(groups__name=TUTORS_GROUP)
        if self.instance.pk:
            users = users | get_user_model().objects.filter(teaching_sessions=self.instance)
        self.fields["tutors"].queryset = users.distinct().order_by("full_name", "email")
        self.fields["topic"].queryset = self.fields["topic"].queryset.select_related("module")
        self.fields["series"].queryset = Series.objects.all()
        for name in ("starts_at", "ends_at", "booking_opens", "booking_closes"):
            self.fields[name].input_formats = [DT_FORMAT, "%Y-%m-%d %H:%M"]
        self.clashes = []

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "The session must end after it starts.")
        delivery = data.get("delivery")
        if delivery in ("in_person", "hybrid") and not data.get("venue"):
            self.add_error("venue", "Give a venue for in-person or hybrid teaching.")
        if delivery in ("online", "hybrid") and not data.get("join_link"):
            self.add_error("join_link", "Give a join link for online or hybrid teaching.")
        opens, closes = data.get("booking_opens"), data.get("booking_closes")
        if opens and closes and closes <= opens:
            self.add_error("booking_closes", "Booking must close after it opens.")
        if closes and starts and closes > starts:
            self.add_error("booking_closes", "Booking must close by the time the session starts.")
        if starts and ends and not self.errors:
            from sessions_app.services.scheduling import find_clashes

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


class CheckInForm(forms.Form):
    code = forms.CharField(
        label="Check-in code",
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "class": "form-control",
            }
        ),
    )


class CancelSessionForm(forms.Form):
    confirm = forms.BooleanField(
        label="Yes, cancel this session and email everyone booked or waiting", required=True
    )
