from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils import timezone

from .models import User, YearOfStudy
from .validators import validate_person_name


class SignupForm(AllauthSignupForm):
    full_name = forms.CharField(
        max_length=150,
        label="Full name",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        validators=[validate_person_name],
    )
    year_of_study = forms.ChoiceField(choices=YearOfStudy.choices, label="Year of study")

    field_order = ["full_name", "email", "year_of_study", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        domains = " or ".join(f"@{d}" for d in settings.MEDED_EMAIL_DOMAINS)
        if domains:
            self.fields["email"].help_text = f"Your university email address, ending {domains}."

    def save(self, request):
        user = super().save(request)
        user.full_name = self.cleaned_data["full_name"].strip()
        user.year_of_study = self.cleaned_data["year_of_study"]
        user.save(update_fields=["full_name", "year_of_study"])
        return user


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "year_of_study"]
        labels = {"full_name": "Full name", "year_of_study": "Year of study"}
        help_texts = {
            "year_of_study": "A change is a request: the committee verifies it before any "
            "seniority rights follow."
        }
        widgets = {"full_name": forms.TextInput(attrs={"autocomplete": "name"})}

    def save(self, commit=True):
        if "full_name" in self.changed_data and self.initial.get("full_name"):
            self.instance.name_changed_at = timezone.now()  # certificates wait (see services)
        return super().save(commit)

    def clean_full_name(self):
        name = self.cleaned_data["full_name"].strip()
        if not name:
            raise forms.ValidationError("Please enter your name as it should appear to tutors.")
        return name


class AppointForm(forms.Form):
    """The committee adds a member to the committee by their (signed-up) email."""

    email = forms.EmailField(label="Member's email", max_length=254)

    def clean_email(self) -> User:
        email = self.cleaned_data["email"]
        member = User.objects.filter(email__iexact=email).first()
        if member is None:
            raise forms.ValidationError("No member has signed up with this email.")
        return member


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="To show that it is you deleting the account.",
    )
    understood = forms.BooleanField(
        label="I understand that my account and personal data are erased for good, and that "
        "this cannot be undone.",
        error_messages={"required": "Please tick the box to confirm that you understand."},
    )


class EraseMemberForm(forms.Form):
    member = forms.EmailField(
        label="Member's email address",
        max_length=254,
        help_text="The address the member signs in with.",
    )
