"""The availability forms: the week as checkboxes (works without JavaScript), an exception."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from meded.parsing import EARLIEST_DATE, LATEST_DATE
from meded.roles import TUTORS_GROUP, is_committee
from sessions_app.scheduling.models import TeachingSession

from .calendars import MAX_BYTES as MAX_CALENDAR_BYTES
from .engine.grid import CELLS_PER_DAY, DAY_NAMES, time_label
from .selectors import groups_for, people_of

FIRST_HOUR, LAST_HOUR = 8, 22  # the grid shown by default: 08:00-22:00
MAX_PEOPLE = 60


def grid_rows(free: frozenset[int]) -> list[dict]:
    """One row per half-hour from 08:00 to 22:00, seven cells each (Mon..Sun)."""
    rows = []
    for half in range(FIRST_HOUR * 2, LAST_HOUR * 2):
        cells = []
        for day, name in enumerate(DAY_NAMES):
            cell = day * CELLS_PER_DAY + half
            cells.append({"cell": cell, "day": name, "free": cell in free, "col": day})
        rows.append({"time": time_label(half), "row": half - FIRST_HOUR * 2, "cells": cells})
    return rows


def shown_cells() -> set[int]:
    return {c["cell"] for r in grid_rows(frozenset()) for c in r["cells"]}


def within_bounds(value) -> None:
    """Days stepped one by one from these dates must not run off the calendar (year 9999)."""
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(
            f"Choose a date between {EARLIEST_DATE.year} and {LATEST_DATE.year}.", code="range"
        )


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}), validators=[within_bounds]
    )


class WeekForm(forms.Form):
    """`cell` repeated: the free cells shown on the grid; cells outside the grid are kept."""

    cell = forms.TypedMultipleChoiceField(
        coerce=int, required=False, choices=[(c, c) for c in sorted(shown_cells())]
    )


class ExceptionForm(forms.Form):
    starts_on = _date_field("First day")
    ends_on = _date_field("Last day")
    label = forms.CharField(
        label="Note (only you see it)",
        required=False,
        max_length=80,
        help_text="For example: placement, exams, holiday.",
    )


class FindTimeForm(forms.Form):
    """Who (a group, or emails one a line), how long, between which dates (at most 8 weeks)."""

    who = forms.ChoiceField(label="Who", required=False)
    emails = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Or pick people (one email a line)",
        required=False,
    )
    minutes = forms.TypedChoiceField(
        coerce=int,
        choices=[(m, f"{m} minutes") for m in (30, 60, 90, 120, 180)],
        initial=60,
        label="Length",
    )
    first = _date_field("From")
    last = _date_field("To")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.committee = is_committee(user)
        picked = [("", "People I pick by email")] if self.committee else []
        self.fields["who"].choices = picked + groups_for(user)
        if not self.committee:
            del self.fields["emails"]

    def clean(self):
        data = super().clean()
        if data.get("first") and data.get("last"):
            if data["last"] < data["first"]:
                self.add_error("last", "The last day is before the first day.")
            elif (data["last"] - data["first"]).days > 56:
                self.add_error("last", "Look at most eight weeks ahead at a time.")
        if data.get("who"):
            data["members"] = people_of(self.user, data["who"])
            if not data["members"]:
                self.add_error("who", "Nobody is in this group yet.")
        elif not self.committee:
            self.add_error("who", "Choose one of your groups.")
        elif "emails" in data:
            data["members"] = self._picked(data["emails"])
        return data

    def _picked(self, text: str) -> list:
        wanted = list(dict.fromkeys(e.strip().lower() for e in text.split() if e.strip()))
        if not wanted:
            self.add_error("emails", "Choose a group, or give at least one email.")
            return []
        if len(wanted) > MAX_PEOPLE:
            self.add_error("emails", f"Find a time for at most {MAX_PEOPLE} people at once.")
            return []
        users = list(get_user_model().objects.filter(email__in=wanted).order_by("full_name", "pk"))
        unknown = sorted(set(wanted) - {u.email.lower() for u in users})
        if unknown:
            self.add_error("emails", f"No member with: {', '.join(unknown)}")
        return users


class CalendarFileForm(forms.Form):
    calendar_file = forms.FileField(
        label="Calendar file (.ics)",
        help_text="Export it from your calendar app. Only the times are kept, never the titles.",
    )

    def clean_calendar_file(self):
        upload = self.cleaned_data["calendar_file"]
        if upload.size > MAX_CALENDAR_BYTES:
            raise ValidationError("The calendar is larger than 2 MB.", code="size")
        return upload.read()


class CalendarFeedForm(forms.Form):
    feed_url = forms.CharField(
        label="Calendar feed address",
        max_length=500,
        help_text="The private address (https://…) your calendar app gives for sharing. "
        "It is read again every few hours; only the times are kept.",
    )


class SlotSessionForm(forms.Form):
    """The session a chosen slot becomes: what it is and where; the time comes from the slot."""

    title = forms.CharField(max_length=200, initial="Small-group tutorial")
    delivery = forms.ChoiceField(choices=TeachingSession.Delivery.choices, initial="in_person")
    venue = forms.CharField(max_length=200, required=False, label="Room")
    join_link = forms.URLField(
        max_length=200, required=False, label="Join link (online)", assume_scheme="https"
    )
    leaders = forms.TypedMultipleChoiceField(
        coerce=int, label="Who leads it", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["leaders"].choices = [(p.pk, p.full_name or p.email) for p in people]
        tutors = set(
            get_user_model()
            .objects.filter(pk__in=[p.pk for p in people], groups__name=TUTORS_GROUP)
            .values_list("pk", flat=True)
        )
        self.fields["leaders"].initial = [p.pk for p in people if p.pk in tutors]

    def clean_leaders(self):
        chosen = set(self.cleaned_data["leaders"])
        return [p for p in self.people if p.pk in chosen]
