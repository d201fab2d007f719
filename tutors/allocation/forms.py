"""Forms for offerings, rankings and allocation runs, plus the no-JavaScript ranking editor."""

from __future__ import annotations

from django import forms

from meded.models import Module, Year
from meded.parsing import parse_id, parse_ids
from meded.widgets import PlainSelect
from tutors.allocation.engine import FILL_UNRANKED_DESCRIPTION, OBJECTIVES, SPREAD_DESCRIPTION
from tutors.models import AllocationOverride, Offering

YEAR_CHOICES = [("", "Anyone")] + [(str(n), f"Year {n} or later") for n in range(2, 7)]


class BulkOfferingsForm(forms.Form):
    module = forms.ModelChoiceField(
        Module.objects.all(), required=False, empty_label="Any module", widget=PlainSelect
    )
    year = forms.ModelChoiceField(
        Year.objects.all(), required=False, empty_label="Any year", widget=PlainSelect
    )
    capacity = forms.IntegerField(label="Tutors needed per topic", min_value=1, initial=1)
    format = forms.ChoiceField(choices=Offering.Format.choices)
    min_tutor_year = forms.TypedChoiceField(
        label="Who may teach",
        choices=YEAR_CHOICES,
        required=False,
        coerce=int,
        empty_value=None,
    )

    def clean(self):
        data = super().clean()
        if not data.get("module") and not data.get("year"):
            raise forms.ValidationError("Choose a module, a year, or both.")
        return data


class OfferingForm(forms.ModelForm):
    min_tutor_year = forms.TypedChoiceField(
        label="Who may teach", choices=YEAR_CHOICES, required=False, coerce=int, empty_value=None
    )

    class Meta:
        model = Offering
        fields = ["capacity", "format", "min_tutor_year"]
        widgets = {"capacity": forms.NumberInput(attrs={"min": 1})}


class RunForm(forms.Form):
    objective = forms.ChoiceField(
        choices=[(name, o.label) for name, o in OBJECTIVES.items()],
        initial="greedy",
        widget=forms.RadioSelect,
    )
    spread = forms.BooleanField(required=False, help_text=SPREAD_DESCRIPTION)
    fill_unranked = forms.BooleanField(
        label="Fill unranked", required=False, help_text=FILL_UNRANKED_DESCRIPTION
    )


class OverrideForm(forms.Form):
    tutor = forms.IntegerField(widget=forms.HiddenInput)
    offering = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=[*AllocationOverride.Kind.choices, ("clear", "Clear")])


class RankingsImportForm(forms.Form):
    file = forms.FileField(
        label="Rankings CSV",
        help_text="Header tutor_email,rank,topic_code. All rows apply, or none.",
    )


def apply_ranking_action(items: list[int], action: str) -> tuple[list[int], int | None]:
    """Edit the draft list for one button press; returns (new list, id to focus).

    Actions: "add:<id>", "remove:<id>", "up:<id>", "down:<id>". Unknown actions and ids
    leave the list unchanged, so a stale page cannot break anything.
    """
    verb, _, raw = action.partition(":")
    target = parse_id(raw)
    if target is None:
        return items, None
    items = list(dict.fromkeys(items))  # a duplicated hidden field is harmless
    if verb == "add" and target not in items:
        return [*items, target], target
    if target not in items:
        return items, None
    i = items.index(target)
    if verb == "remove":
        return items[:i] + items[i + 1 :], None
    if verb == "up" and i > 0:
        items[i - 1], items[i] = items[i], items[i - 1]
    elif verb == "down" and i < len(items) - 1:
        items[i + 1], items[i] = items[i], items[i + 1]
    return items, target


def parse_items(values: list[str]) -> list[int]:
    return parse_ids(values)


def focus_after(action: str, items: list[int], addable: list[int]) -> dict[str, int | str]:
    """Where keyboard focus lands after a button press (rendered as ``autofocus``).

    Up/down keep focus on the moved topic's same button (or the other one at an end);
    add moves to the next topic's Add button; remove to the next topic in the list.
    """
    verb, _, raw = action.partition(":")
    target = parse_id(raw)
    if target is None:
        return {}
    if verb in ("up", "down") and target in items:
        i = items.index(target)
        if verb == "up" and i == 0:
            verb = "down" if len(items) > 1 else "remove"
        elif verb == "down" and i == len(items) - 1:
            verb = "up" if len(items) > 1 else "remove"
        return {verb: target}
    if verb == "add":
        after = addable[addable.index(target) + 1 :] if target in addable else addable
        later = [a for a in after if a not in items]
        return {"add": later[0]} if later else {"save": 1}
    if verb == "remove":
        return {"remove": items[0]} if items else {"save": 1}
    return {}
