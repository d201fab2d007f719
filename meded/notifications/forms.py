"""The outbox filters: a bad value is reported next to its field and filters nothing."""

from django import forms

from meded.widgets import PlainSelect

from .kinds import registered_kinds
from .models import SentEmail


class OutboxFilterForm(forms.Form):
    # every kind the apps register: its options written in plain Python (meded/widgets.py)
    kind = forms.ChoiceField(required=False, label="Kind", widget=PlainSelect)
    status = forms.ChoiceField(
        required=False,
        label="Status",
        choices=[("", "All statuses"), *SentEmail.Status.choices],
        widget=PlainSelect,
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


class WallClockField(forms.DateTimeField):
    """A local time; one the clocks skip or repeat gets a message a person understands."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError as exc:
            if getattr(exc, "code", "") == "ambiguous_timezone":
                raise forms.ValidationError(
                    "That time happens twice or not at all while the clocks change; "
                    "choose another time.",
                    code="ambiguous_timezone",
                ) from None
            raise


class ConfirmMailingForm(forms.Form):
    """Confirm a previewed mass email: send after the undo window, or at a chosen time.

    The chosen time is a wall-clock time in the society's time zone; a time that does not exist
    or happens twice while the clocks change is refused with a message, never guessed.
    """

    WHEN_CHOICES = [("now", "Send after the undo window"), ("later", "Send at a chosen time")]

    expected = forms.CharField(widget=forms.HiddenInput)
    when = forms.ChoiceField(
        choices=WHEN_CHOICES, initial="now", widget=forms.RadioSelect, label="When"
    )
    send_at = WallClockField(
        required=False,
        label="Send at (UK time)",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "form-control"}, format="%Y-%m-%dT%H:%M"
        ),
        error_messages={"invalid": "Enter a date and time like 2026-11-30 18:00."},
    )

    def clean(self):
        data = super().clean()
        if data.get("when") == "later" and not data.get("send_at") and "send_at" not in self.errors:
            self.add_error("send_at", "Choose when to send, or send after the undo window.")
        if data.get("when") != "later":
            data["send_at"] = None
        return data
