"""What small groups add to the core's pages (a `profile_panels` receiver, see apps.py)."""


def availability_panel(request, **signal_kwargs) -> str:
    return "sessions_app/smallgroups/_profile_availability.html"
