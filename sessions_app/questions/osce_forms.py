"""The OSCE station form: the station's details, and its checklist as numbered rows (text,
marks, position, remove) that a keyboard reorders by typing positions, never by dragging."""

from __future__ import annotations

from django import forms

from meded.parsing import parse_int
from sessions_app.scheduling.models import TeachingSession

from . import osce
from .forms import open_sessions
from .models import MAX_ITEM_MARKS, OsceStation

PREFIX = "items"
MORE_ROWS = 3


class StationForm(forms.Form):
    title = forms.CharField(max_length=200)
    scenario = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the candidate reads before entering the station.",
    )
    session = forms.ModelChoiceField(
        queryset=TeachingSession.objects.filter(kind__in=osce.STATION_KINDS)
        .exclude(status=TeachingSession.Status.CANCELLED)
        .order_by("-starts_at"),
        help_text="A clinical-skills or mock-exam session; its booked students are the candidates.",
    )
    rating_scale = forms.CharField(
        label="Global rating scale",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="One point a line, lowest first (2 to 9 points).",
    )

    def __init__(self, *args, current_session: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["session"]
        field.queryset = open_sessions(field.queryset, current_session)

    def scale(self) -> list[str]:
        return self.cleaned_data["rating_scale"].splitlines()


class ChecklistItemForm(forms.Form):
    item_id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    text = forms.CharField(max_length=300, label="What the candidate does")
    marks = forms.IntegerField(min_value=1, max_value=MAX_ITEM_MARKS, initial=1, label="Marks")


class BaseChecklistFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = "Position"
        form.fields["DELETE"].label = "Remove"


ChecklistFormSet = forms.formset_factory(
    ChecklistItemForm,
    formset=BaseChecklistFormSet,
    extra=MORE_ROWS,
    can_order=True,
    can_delete=True,
    max_num=osce.MAX_ITEMS,
    validate_max=True,
    absolute_max=osce.MAX_ITEMS + 10,
)


def station_forms(data, station: OsceStation | None):
    """The two forms, bound to `data` (a POST) or filled from the station. "Add rows" posts
    the page back with more blank rows and saves nothing."""
    initial = {"rating_scale": "\n".join(osce.default_rating_scale())}
    rows = []
    if station is not None:
        initial = {
            "title": station.title,
            "scenario": station.scenario,
            "session": station.session_id,
            "rating_scale": "\n".join(station.rating_scale),
        }
        rows = [
            {"item_id": i.pk, "text": i.text, "marks": i.marks, "ORDER": i.position}
            for i in station.items.all()
        ]
    if data is not None and "more" in data:
        data = data.copy()
        key = f"{PREFIX}-TOTAL_FORMS"
        total = parse_int(data.get(key), high=osce.MAX_ITEMS) or 0
        more = min(total + MORE_ROWS, osce.MAX_ITEMS)
        data[key] = str(more)
        for n in range(total, more):  # blank rows as a fresh page shows them: 1 mark
            data.setdefault(f"{PREFIX}-{n}-marks", "1")
    form = StationForm(data, initial=initial, current_session=getattr(station, "session_id", None))
    checklist = ChecklistFormSet(data, initial=rows or None, prefix=PREFIX)
    return form, checklist


def checklist_items(checklist) -> list[osce.ChecklistItem]:
    """The rows in the order their positions give (blank new rows and removed rows left out)."""
    return [
        osce.ChecklistItem(
            text=f.cleaned_data["text"],
            marks=f.cleaned_data["marks"],
            item_id=f.cleaned_data.get("item_id"),
        )
        for f in checklist.ordered_forms
    ]
