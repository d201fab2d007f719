from django import forms

from .models import MentoringScheme, SchemeKind


class SchemeForm(forms.Form):
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=SchemeKind.choices)
    check_in_weeks = forms.CharField(
        max_length=40, initial="2,6", help_text='Weeks after the introduction, e.g. "2,6".'
    )


class OfferForm(forms.Form):
    capacity = forms.IntegerField(
        min_value=1, max_value=5, initial=1, label="How many people could you take?"
    )
    topics = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, label="What can you help with?"
    )
    note = forms.CharField(max_length=300, required=False, label="Anything else (optional)")

    def __init__(self, *args, scheme: MentoringScheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = scheme.topics


class RequestForm(forms.Form):
    """What matters to the mentee, most important first (select boxes: no dragging needed)."""

    note = forms.CharField(max_length=300, required=False, label="Anything else (optional)")

    def __init__(self, *args, scheme: MentoringScheme, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *scheme.topics]
        simple = scheme.kind == SchemeKind.BUDDY
        for i in range(1 if simple else len(scheme.topics)):
            self.fields[f"priority_{i + 1}"] = forms.ChoiceField(
                choices=choices,
                required=i == 0,
                label="What would help most?" if simple else f"What matters most: {i + 1}",
            )
        self.order_fields([f"priority_{i + 1}" for i in range(len(scheme.topics))] + ["note"])

    def priorities(self) -> list[str]:
        return [v for k, v in sorted(self.cleaned_data.items()) if k.startswith("priority_") and v]

    def clean(self):
        data = super().clean()
        chosen = [v for k, v in data.items() if k.startswith("priority_") and v]
        if len(chosen) != len(set(chosen)):
            raise forms.ValidationError("Choose each thing once.")
        return data


class ChangeForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
        label="Would you like to say why? (optional, seen only by the committee)",
    )
