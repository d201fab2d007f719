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
