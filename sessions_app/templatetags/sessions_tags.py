"""Small display helpers for session templates."""

from django import template

register = template.Library()


@register.simple_tag
def places_badge(session) -> str:
    """A session's places badge where the page is remembered: "Open to all", else a hole its
    view fills per request from the counts (booking.state.fill_places)."""
    from django.utils.safestring import mark_safe

    from sessions_app.booking.state import badge_html, places_hole, places_state

    if session.capacity is None:
        return badge_html(places_state(None, 0, 0))
    return mark_safe(places_hole(session))


@register.simple_tag(takes_context=True)
def feed_subscribe_links(context) -> dict:
    """The private feed's address and the links that subscribe a calendar app to it."""
    from django.conf import settings
    from django.urls import reverse

    from sessions_app.booking.calendar import subscribe_links

    request = context["request"]
    url = request.build_absolute_uri(
        reverse("sessions_app:feed", args=[request.user.calendar_token])
    )
    return {"url": url, **subscribe_links(url, f"{settings.SOCIETY_NAME} teaching")}


@register.filter
def day_heading(day, today) -> str:
    """ "Today", "Tomorrow", else "Wednesday 2 December"."""
    from datetime import timedelta

    if day == today:
        return f"Today, {day:%A} {day.day} {day:%B}"
    if day == today + timedelta(days=1):
        return f"Tomorrow, {day:%A} {day.day} {day:%B}"
    return f"{day:%A} {day.day} {day:%B}"
