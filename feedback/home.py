"""What matters now for this member, shown on the home page: feedback awaiting them."""

from feedback.services.eligibility import awaiting


def section(request):
    sessions = list(awaiting(request.user)[:5])
    if not sessions:
        return None
    return {"template": "feedback/_home_section.html", "awaiting": sessions}
