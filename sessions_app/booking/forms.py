"""The student's check-in form (the code the tutor shows in the room)."""

from __future__ import annotations

from django import forms


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
