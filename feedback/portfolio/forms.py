from django import forms

from .services import MAX_REFLECTION


class ReflectionForm(forms.Form):
    """`sessions`: those the tutor may reflect on (the portfolio's, already read): the choices
    and what a choice stands for, with no query of its own."""

    session = forms.TypedChoiceField(label="Session", coerce=int)
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
        self.sessions = {s.pk: s for s in sessions}
        self.fields["session"].choices = [
            (s.pk, f"{s.starts_at:%d %b %Y} · {s.title}") for s in sessions
        ]

    def clean_session(self):
        return self.sessions[self.cleaned_data["session"]]


class LinkForm(forms.Form):
    label = forms.CharField(
        label="What is this link for? (optional)", required=False, max_length=100
    )
