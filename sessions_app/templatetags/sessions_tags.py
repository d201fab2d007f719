"""Small display helpers for session templates."""

from django import template

register = template.Library()


@register.filter
def places_left(session) -> int | None:
    """Free places (None = unlimited); needs the n_taken annotation from selectors.with_places."""
    if session.capacity is None:
        return None
    return max(session.capacity - getattr(session, "n_taken", 0), 0)


@register.inclusion_tag("sessions_app/_places.html")
def places_badge(session):
    return {"session": session, "left": places_left(session)}


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


@register.simple_tag(takes_context=True)
def session_state(context, session):
    """The same state the session's page shows (booking.state), for a list row."""
    from django.utils import timezone

    from sessions_app.booking.state import booking_state

    user = context["request"].user
    now = context.get("now") or timezone.now()
    return booking_state(
        session,
        now,
        my_status=getattr(session, "my_status", None),
        teaches=session.is_taught_by(user),
    )


@register.filter
def day_heading(day, today) -> str:
    """ "Today", "Tomorrow", else "Wednesday 2 December"."""
    from datetime import timedelta

    if day == today:
        return f"Today, {day:%A} {day.day} {day:%B}"
    if day == today + timedelta(days=1):
        return f"Tomorrow, {day:%A} {day.day} {day:%B}"
    return f"{day:%A} {day.day} {day:%B}"
