"""What matters now for this member, shown on the home page: feedback awaiting them.

A `home_sections` receiver, connected in FeedbackConfig.ready()."""

from feedback.selectors.eligibility import awaiting
from meded.home import home_section


@home_section("feedback")
def section(request, **kwargs):
    sessions = list(awaiting(request.user)[:5])
    if not sessions:
        return None
    return {"template": "feedback/_home_section.html", "awaiting": sessions}
