"""The committee's forms for teaching slots: add a slot (weekly), set the pick deadline."""

from __future__ import annotations

from django import forms

from sessions_app.scheduling.forms import bootstrap, dt_widget
from sessions_app.scheduling.slots import MAX_WEEKS


class SlotForm(forms.Form):
    day = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label="Starts", widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label="Ends", widget=forms.TimeInput(attrs={"type": "time"}))
    venue = forms.CharField(label="Room", max_length=200)
    weeks = forms.IntegerField(
        label="Weeks",
        min_value=1,
        max_value=MAX_WEEKS,
        initial=1,
        help_text="The same time and room this many weeks running.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class DeadlineForm(forms.Form):
    deadline = forms.DateTimeField(
        label="Tutors pick dates until",
        widget=dt_widget(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
