"""The availability forms: the week as checkboxes (works without JavaScript), an exception."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from meded.parsing import EARLIEST_DATE, LATEST_DATE

from .engine.grid import CELLS_PER_DAY, DAY_NAMES, time_label

FIRST_HOUR, LAST_HOUR = 8, 22  # the grid shown by default: 08:00-22:00


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
    """Who (emails, one a line), how long, between which dates (at most eight weeks)."""

    emails = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), label="Who (one email a line)"
    )
    minutes = forms.TypedChoiceField(
        coerce=int,
        choices=[(m, f"{m} minutes") for m in (30, 60, 90, 120, 180)],
        initial=60,
        label="Length",
    )
    first = _date_field("From")
    last = _date_field("To")

    def clean(self):
        from django.contrib.auth import get_user_model

        data = super().clean()
        if data.get("first") and data.get("last"):
            if data["last"] < data["first"]:
                self.add_error("last", "The last day is before the first day.")
            elif (data["last"] - data["first"]).days > 56:
                self.add_error("last", "Look at most eight weeks ahead at a time.")
        if "emails" in data:
            wanted = [e.strip().lower() for e in data["emails"].split() if e.strip()]
            users = list(get_user_model().objects.filter(email__in=wanted))
            unknown = sorted(set(wanted) - {u.email.lower() for u in users})
            if unknown:
                self.add_error("emails", f"No member with: {', '.join(unknown)}")
            data["members"] = users
        return data
