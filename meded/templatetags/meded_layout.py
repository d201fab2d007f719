"""The site's header and footer, rendered once per process for each kind of visitor.

They are the same on every page for everyone with the same roles, name and section of the site,
yet cost more to render (a dozen URL reversals, includes) than many a page's own content. Each
is kept in this process's memory under exactly what it shows; the CSRF token of the sign-out form
is put in per request (meded.remember.with_csrf). The memo is bounded and holds no private data
beyond a member's first name.
"""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from meded.fragment_memo import Memo
from meded.remember import CSRF_SENTINEL, with_csrf

register = template.Library()
_memo = Memo(2000)
SECTIONS = (
    ("/sessions/", "sessions"),
    ("/resources/", "resources"),
    ("/questions/", "questions"),
    ("/feedback/", "feedback"),
    ("/mentoring/", "mentoring"),
    ("/committee/", "committee"),
    ("/tutors/apply/", "apply"),
    ("/tutors/", "teaching"),
)


def nav_active(path: str) -> str:
    """Which item of the main menu is the current page's (aria-current)."""
    if path == "/":
        return "home"
    if path.startswith("/tutors/apply/") and path != "/tutors/apply/":
        return "teaching"
    return next((name for prefix, name in SECTIONS if path.startswith(prefix)), "")


def _memoised(key: tuple, template_name: str, context: dict) -> str:
    return _memo.get(key, lambda: render_to_string(template_name, context))


@register.simple_tag(takes_context=True)
def site_header(context) -> str:
    request, user = context.get("request"), context.get("user")
    signed_in = bool(getattr(user, "is_authenticated", False))
    values = {
        "society_name": context.get("society_name"),
        "signed_in": signed_in,
        "short_name": user.get_short_name() if signed_in else "",
        "is_tutor": context.get("is_tutor", False),
        "is_committee": context.get("is_committee", False),
        "active": nav_active(request.path) if request is not None else "",
        "csrf_token": CSRF_SENTINEL,
    }
    html = _memoised(("header", *values.values()), "meded/_header.html", values)
    return mark_safe(with_csrf(request, html) if request is not None else html)


@register.simple_tag(takes_context=True)
def site_footer(context) -> str:
    user = context.get("user")
    values = {
        "society_name": context.get("society_name"),
        "signed_in": bool(getattr(user, "is_authenticated", False)),
    }
    return mark_safe(_memoised(("footer", *values.values()), "meded/_footer.html", values))
