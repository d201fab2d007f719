"""A student's booking actions (plain POST forms, no JavaScript needed) and My bookings."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from meded.errors import attempt
from meded.remember import member_parts, remember, with_csrf
from meded.roles import member_required
from sessions_app.booking import mine
from sessions_app.booking import services as booking_service
from sessions_app.booking.fingerprint import member_bookings_and_queue
from sessions_app.booking.models import ActiveBookingStatuses, Booking
from sessions_app.scheduling.models import Series
from sessions_app.scheduling.views.common import visible_session

DONE = {
    Booking.Status.CONFIRMED: "You are booked. A confirmation email with a calendar file is on "
    "its way.",
    Booking.Status.WAITING: "The session is full, so you are on the waiting list. We will email "
    "you if a place comes up.",
}


def _my_booking(request, pk: int) -> Booking:
    return get_object_or_404(
        Booking.objects.filter(student=request.user, status__in=ActiveBookingStatuses),
        session_id=pk,
    )


@require_POST
@member_required
def book(request, pk: int):
    session = visible_session(request, pk)
    ok, booking = attempt(request, booking_service.book, request.user, session)
    if ok:
        messages.success(request, DONE[booking.status])
    return redirect("sessions_app:detail", pk=pk)


@member_required
def cancel(request, pk: int):
    """GET: ask first (what happens to the place, the deadline). POST: cancel, then offer an
    undo on the session's page for a few minutes."""
    booking = _my_booking(request, pk)
    back = "mine" if request.POST.get("next", request.GET.get("next")) == "mine" else "detail"
    if request.method != "POST":
        return render(
            request,
            "sessions_app/cancel_confirm.html",
            {
                "booking": booking,
                "session": booking.session,
                "late": timezone.now() > booking.session.cancellation_deadline,
                "back": back,
            },
        )
    ok, booking = attempt(request, booking_service.cancel, request.user, booking)
    if ok:
        if booking.cancel_reason == "left_waitlist":
            messages.success(request, "You have left the waiting list.")
        elif booking.cancel_reason == "offer_declined":
            messages.success(request, "You turned down the place; it goes to the next person.")
        elif booking.cancelled_late:
            messages.warning(
                request,
                "Your booking is cancelled. It was after the cancellation deadline, "
                "so it is recorded as a late cancellation.",
            )
        else:
            messages.success(request, "Your booking is cancelled. We have emailed you a note.")
    if back == "mine":
        return redirect("sessions_app:mine")
    return redirect("sessions_app:detail", pk=pk)


@require_POST
@member_required
def undo_cancel(request, pk: int):
    booking = (
        Booking.objects.filter(student=request.user, session_id=pk, status=Booking.Status.CANCELLED)
        .order_by("-cancelled_at")
        .first()
    )
    if booking is None:
        raise Http404("No cancellation of yours to undo here.")
    ok, booking = attempt(request, booking_service.undo_cancel, request.user, booking)
    if ok:
        messages.success(
            request,
            "Undone: your place is back."
            if booking.status == Booking.Status.CONFIRMED
            else "Undone: you are back on the waiting list in the same position."
            if booking.status == Booking.Status.WAITING
            else "Undone: a place is offered to you; claim it below.",
        )
    return redirect("sessions_app:detail", pk=pk)


@require_POST
@member_required
def claim(request, pk: int):
    if attempt(request, booking_service.claim_offer, request.user, _my_booking(request, pk))[0]:
        messages.success(request, "The place is yours. A confirmation email is on its way.")
    return redirect("sessions_app:detail", pk=pk)


@require_POST
@member_required
def book_series(request, pk: int):
    series = get_object_or_404(Series, pk=pk)
    ok, results = attempt(request, booking_service.book_series, request.user, series)
    if ok:
        for session, booking, outcome in results:
            level = messages.SUCCESS if booking else messages.WARNING
            messages.add_message(request, level, f"{session.title}: {outcome}")
        if not results:
            messages.info(request, "This series has no upcoming sessions to book.")
    return redirect("sessions_app:series", pk=pk)


@member_required
def my_bookings(request):
    """Coming bookings, then the past and cancelled ones 25 to a page; rendered once per member,
    page and minute, until a table it read is written (meded/remember.py); the bookings it
    reads are the member's own and the waiting rows ahead of theirs: its `Cover`."""
    number = request.GET.get("page", "")

    def compute() -> str:  # rendered once per process per content (booking/mine.py)
        return mine.content_html(_mine(request.user, number), request.GET)

    if request.method in ("GET", "HEAD"):  # as remember_html
        parts = (*member_parts(request), number)
        cover = member_bookings_and_queue(request.user)
        html = remember("sessions:mine", parts, compute, cover=cover)
    else:
        html = compute()
    body = mark_safe(with_csrf(request, html))
    return render(request, "sessions_app/mine.html", {"body": body})


def _mine(user, number: str) -> dict:
    """The page's bookings from reads compiled once per process (booking/mine.py)."""
    now = timezone.now()
    page, past = mine.past_page(user.pk, now, number)
    return {"upcoming": mine.coming(user.pk, now), "past": past, "page": page, "now": now}
