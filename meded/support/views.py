from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render

from meded.errors import attempt
from meded.roles import committee_required

from . import services
from .models import SupportPage


class SupportForm(forms.ModelForm):
    class Meta:
        model = SupportPage
        fields = list(services.FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in services.FIELDS}


def page(request):
    """Open to everyone, signed in or not."""
    return render(request, "meded/support/page.html", {"support": services.current()})


@committee_required
def edit(request):
    form = SupportForm(request.POST or None, instance=services.current())
    if request.method == "POST" and form.is_valid():
        ok, _ = attempt(request, services.save, request.user, form.cleaned_data, form=form)
        if ok:
            messages.success(request, "Support page updated.")
            return redirect("support")
    return render(request, "meded/support/edit.html", {"form": form})
