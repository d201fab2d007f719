"""The outbox filters: a bad value is reported next to its field and filters nothing."""

from django import forms

from .kinds import registered_kinds
from .models import SentEmail


class OutboxFilterForm(forms.Form):
    kind = forms.ChoiceField(required=False, label="Kind")
    status = forms.ChoiceField(
        required=False,
        label="Status",
        choices=[("", "All statuses"), *SentEmail.Status.choices],
    )
    since = forms.DateField(
        required=False,
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a date like 2026-11-30."},
    )
    until = forms.DateField(
        required=False,
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a date like 2026-11-30."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "All kinds")] + [
            (k.name, k.description) for k in registered_kinds()
        ]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = css

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The end date is before the start date.")
        return data

    def filters(self) -> dict:
        """The values that passed validation; a field in error filters nothing."""
        if not self.is_bound:
            return {}
        self.is_valid()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] += " is-invalid"
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}-errors"
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.errors and value
        }
