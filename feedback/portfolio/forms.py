from django import forms

from .services import MAX_REFLECTION


class ReflectionForm(forms.Form):
    session = forms.ModelChoiceField(queryset=None, label="Session", empty_label=None)
    text = forms.CharField(
        label="What went well, what would you change?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_REFLECTION,
    )
    in_portfolio = forms.BooleanField(
        label="Include in my portfolio (otherwise only you see it)", required=False
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions
        self.fields["session"].label_from_instance = lambda s: f"{s.starts_at:%d %b %Y} · {s.title}"


class LinkForm(forms.Form):
    label = forms.CharField(
        label="What is this link for? (optional)", required=False, max_length=100
    )
