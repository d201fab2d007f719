"""iCalendar output: one session as a download, a member's private subscription feed.

Times carry TZID=Europe/London with one compact VTIMEZONE (yearly RRULEs, vtimezone.py, built
once per process) so every calendar app places them right on both sides of the GMT/BST change.
UIDs are stable per session; SEQUENCE bumps on every change;
cancelled sessions stay in the feed as STATUS:CANCELLED so subscribers see them go.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event

from meded.accounts.models import new_calendar_token
from meded.models import User
from meded.notifications.rendering import attachment, register_attachment
from sessions_app.booking.models import Booking
from sessions_app.booking.selectors import calendar_feed_sessions
from sessions_app.booking.vtimezone import vtimezone
from sessions_app.scheduling.models import TeachingSession


def uid(session: TeachingSession) -> str:
    host = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "meded"
    return f"session-{session.pk}@{host}"


def _event(session: TeachingSession, *, show_link: bool) -> Event:
    tz = timezone.get_default_timezone()
    event = Event()
    event.add("uid", uid(session))
    event.add("summary", session.title)
    event.add("dtstart", session.starts_at.astimezone(tz))
    event.add("dtend", session.ends_at.astimezone(tz))
    event.add("dtstamp", session.updated or timezone.now())
    event.add("last-modified", session.updated or timezone.now())
    event.add("sequence", session.sequence)
    url = settings.SITE_URL + session.get_absolute_url()
    event.add("url", url)
    where = []
    if session.venue and session.delivery != TeachingSession.Delivery.ONLINE:
        where.append(session.venue)
    if show_link and session.join_link:
        where.append(session.join_link)
    if where:
        event.add("location", " / ".join(where))
    description = [session.get_kind_display(), session.get_delivery_display(), url]
    if show_link and session.join_link:
        description.append(f"Join: {session.join_link}")
    event.add("description", "\n".join(description))
    event.add(
        "status", "CANCELLED" if session.status == TeachingSession.Status.CANCELLED else "CONFIRMED"
    )
    return event


def build_calendar(
    sessions: Iterable[TeachingSession], *, name: str, show_links: bool = True
) -> bytes:
    cal = Calendar()
    cal.add("prodid", f"-//{settings.SOCIETY_NAME}//meded//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    cal.add_component(vtimezone(settings.TIME_ZONE))
    for session in sessions:
        cal.add_component(_event(session, show_link=show_links))
    return cal.to_ical()


def session_ics(session: TeachingSession, *, show_link: bool) -> bytes:
    return build_calendar([session], name=session.title, show_links=show_link)


def booking_ics(booking: Booking) -> dict:
    """The session as a calendar file attached to a booking email (with the join link: the
    email goes to a student with a place). Built at delivery, never under the booking's lock."""
    return {
        "filename": f"session-{booking.session_id}.ics",
        "mimetype": "text/calendar",
        "content": session_ics(booking.session, show_link=True).decode(),
    }


register_attachment("booking_ics", booking_ics)


def ics_attachment(booking: Booking) -> list[dict]:
    """What a booking email attaches: a reference the worker turns into the .ics."""
    return [attachment("booking_ics", booking=booking)]


def feed_ics(user: User) -> bytes:
    return build_calendar(
        calendar_feed_sessions(user), name=f"{settings.SOCIETY_NAME} teaching", show_links=True
    )


def regenerate_token(user: User) -> str:
    """Revoke the old feed address: anyone subscribed with it stops getting updates."""
    with transaction.atomic():
        user.calendar_token = new_calendar_token()
        user.save(update_fields=["calendar_token"])
    return user.calendar_token


def _utc_stamp(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def add_links(session: TeachingSession, *, show_link: bool) -> dict[str, str]:
    """ "Add to calendar" addresses for Google Calendar and Outlook (Microsoft 365 and
    Outlook.com) that open a prefilled event; times in UTC so no client can shift them."""
    url = settings.SITE_URL + session.get_absolute_url()
    details = [session.get_kind_display(), url]
    location = session.venue if session.delivery != TeachingSession.Delivery.ONLINE else ""
    if show_link and session.join_link:
        details.append(f"Join: {session.join_link}")
        location = " / ".join(p for p in (location, session.join_link) if p)
    google = {
        "action": "TEMPLATE",
        "text": session.title,
        "dates": f"{_utc_stamp(session.starts_at)}/{_utc_stamp(session.ends_at)}",
        "details": "\n".join(details),
        "location": location,
        "ctz": settings.TIME_ZONE,
    }
    outlook = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": session.title,
        "startdt": session.starts_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "enddt": session.ends_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "body": "\n".join(details),
        "location": location,
    }
    return {
        "google": "https://calendar.google.com/calendar/render?" + urlencode(google),
        "outlook": "https://outlook.office.com/calendar/deeplink/compose?" + urlencode(outlook),
        "outlook_com": "https://outlook.live.com/calendar/deeplink/compose?" + urlencode(outlook),
    }


def subscribe_links(feed_url: str, name: str) -> dict[str, str]:
    """Subscribe to the private feed: Google and Outlook take the address; Apple opens webcal."""
    webcal = "webcal://" + feed_url.split("://", 1)[-1]
    return {
        "google": "https://calendar.google.com/calendar/r?" + urlencode({"cid": webcal}),
        "outlook": "https://outlook.office.com/calendar/addfromweb?"
        + urlencode({"url": feed_url, "name": name}),
        "outlook_com": "https://outlook.live.com/calendar/addfromweb?"
        + urlencode({"url": feed_url, "name": name}),
        "apple": webcal,
    }
