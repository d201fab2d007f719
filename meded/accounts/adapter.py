"""allauth adapter: signup only with the society's university email domains, and account emails
(verification, password reset, every other) that carry the society's name and site address in
text and HTML, like the product's own emails, never the request's host ("Hello from 127.0.0.1").
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class SocietySite:
    """What allauth's templates call `current_site`: from MEDED_SOCIETY_NAME / MEDED_SITE_URL."""

    name: str
    domain: str


def society_site() -> SocietySite:
    return SocietySite(settings.SOCIETY_NAME, urlsplit(settings.SITE_URL).netloc or "localhost")


def allowed_domains() -> list[str]:
    return list(settings.MEDED_EMAIL_DOMAINS)


def email_domain_allowed(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].strip().lower()
    return any(domain == d or domain.endswith("." + d) for d in allowed_domains())


def domain_error_message() -> str:
    domains = allowed_domains()
    if not domains:
        return "Sign-up is closed: no university email domain is configured."
    listed = " or ".join(f"@{d}" for d in domains)
    return f"Please sign up with your university email address (ending {listed})."


def mailbox(email: str) -> str:
    """The mailbox an address delivers to: case folded and any "+tag" dropped, so that
    Ada+x@Uni.ac.uk and ada@uni.ac.uk are one mailbox and therefore one member."""
    local, _, domain = email.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def member_with_mailbox(email: str):
    """The member whose address delivers to the same mailbox, if any."""
    from meded.models import User

    box = mailbox(email)
    local, _, domain = box.rpartition("@")
    candidates = User.objects.filter(email__istartswith=local, email__iendswith="@" + domain)
    return next((u for u in candidates if mailbox(u.email) == box), None)


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        email = super().clean_email(email).strip().lower()
        if not email_domain_allowed(email):
            raise forms.ValidationError(domain_error_message())
        existing = member_with_mailbox(email)
        if existing is not None and existing.email != email:
            raise forms.ValidationError(
                "This address delivers to the mailbox of an existing account: sign in with that "
                "account, or reset its password."
            )
        return email

    def is_open_for_signup(self, request) -> bool:
        return bool(allowed_domains())

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """Failed logins count per (email, client address), not per email alone.

        Keyed on the email only, anyone could lock a committee member out by typing five wrong
        passwords for them; per client address the owner keeps logging in from their own machine,
        and the per-address limits (settings.ACCOUNT_RATE_LIMITS) still stop guessing.
        """
        from allauth.core.internal.ratelimit import get_ip

        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{get_ip(request)}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {
            **context,
            "current_site": society_site(),
            "society_name": settings.SOCIETY_NAME,
            "site_url": settings.SITE_URL,
        }
        super().send_mail(template_prefix, email, context)

    def render_mail(self, template_prefix, email, context, headers=None):
        """The text allauth renders, plus an HTML part in the society's email frame."""
        msg = super().render_mail(template_prefix, email, context, headers=headers)
        if isinstance(msg, EmailMultiAlternatives) and msg.alternatives:
            return msg
        html = render_to_string(
            "account/email/_frame.html",
            {
                "subject": msg.subject,
                "body_html": mark_safe(  # escaped by urlize(autoescape=True)
                    linebreaks(urlize(msg.body, autoescape=True), autoescape=False)
                ),
                "society_name": settings.SOCIETY_NAME,
                "site_url": settings.SITE_URL,
            },
        )
        framed = EmailMultiAlternatives(
            msg.subject, msg.body, msg.from_email, msg.to, headers=msg.extra_headers
        )
        framed.attach_alternative(html, "text/html")
        return framed
