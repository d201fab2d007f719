from django.conf import settings
from django.db import models

DEFAULTS = {
    "wellbeing": (
        "Your university's student wellbeing service offers free, confidential support: "
        "counselling, mental-health advice and urgent appointments. Your personal tutor and the "
        "medical school's student support office can help with extensions and time out."
    ),
    "contacts": "Write to the society's welfare officer at any time; replies within two days.",
    "too_much": (
        "Teaching is voluntary. If a session clashes with exams or life, open Your teaching load "
        'and press "Ask the committee to find cover": no explanation needed, and no mark '
        "against you. Catching up on a recording instead of attending live is fine too."
    ),
}


class SupportPage(models.Model):
    """One row: the support page's sections, as plain text (links are made clickable)."""

    wellbeing = models.TextField("university wellbeing services", default=DEFAULTS["wellbeing"])
    contacts = models.TextField("the society's own contacts", default=DEFAULTS["contacts"])
    too_much = models.TextField(
        "what to do if teaching feels like too much", default=DEFAULTS["too_much"]
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return "Support page"
