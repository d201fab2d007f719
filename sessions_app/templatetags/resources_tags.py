"""{% session_resources session as res %}: a session's resources for the session page."""

from django import template

from sessions_app.resources import selectors
from sessions_app.resources.services import can_upload_to

register = template.Library()


@register.simple_tag(takes_context=True)
def session_resources(context, session) -> dict:
    user = context["request"].user
    return {
        "groups": selectors.session_resources(user, session),
        "can_upload": can_upload_to(user, session),
    }
