"""Certificates: issue, download as PDF, and the public verification page."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from feedback.forms import AttendanceCertificateForm, TeachingCertificateForm
from feedback.selectors.certificates import (
    attendance_progress_rows,
    attended_series,
    attended_series_list,
    certificates_list,
    round_options,
)
from feedback.services import certificates as service
from meded.errors import attempt
from meded.remember import member_parts, remember_html
from meded.roles import is_committee, is_tutor, member_required
from sessions_app.booking.fingerprint import member_bookings


def _context(request, teaching_form=None, attendance_form=None) -> dict:
    """Every read compiled once per process (meded/prepared.py); the forms' choices are the
    same rows, put in as plain options (a form with errors validates against its queryset)."""
    user = request.user
    if teaching_form is None:
        teaching_form = TeachingCertificateForm()
        field = teaching_form.fields["round"]
        field.widget.choices = [("", field.empty_label), *round_options()]
    return {
        "certificates": certificates_list(user),
        "is_tutor": is_tutor(user),
        "teaching_form": teaching_form,
        "attendance_form": attendance_form
        or AttendanceCertificateForm(series_qs=attended_series(user)),
        "series": attended_series_list(user),  # the options of the attendance form
        "progress": attendance_progress_rows(user),
    }


def _page(request, teaching_form=None, attendance_form=None):
    """The page with a form that has errors (not cached: it shows what was typed)."""
    body = render_to_string(
        "feedback/_certificates.html",
        _context(request, teaching_form, attendance_form),
        request=request,
    )
    return render(request, "feedback/certificates.html", {"body": mark_safe(body)})


@member_required
def certificates(request):
    """Rendered once per member and minute, until a table it read is written (bookings: the
    member's own rows only, so others' bookings leave it in place)."""
    body = remember_html(
        request,
        "feedback:certificates",
        member_parts(request),
        "feedback/_certificates.html",
        lambda: _context(request),
        cover=member_bookings(request.user),
    )
    return render(request, "feedback/certificates.html", {"body": body})


@member_required
@require_POST
def issue_teaching(request):
    if not is_tutor(request.user):
        messages.error(request, "Teaching certificates are for tutors.")
        return redirect("feedback:certificates")
    form = TeachingCertificateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        ok, cert = attempt(
            request,
            service.issue_teaching_certificate,
            request.user,
            data["start"],
            data["end"],
            data.get("label", ""),
        )
        if ok:
            messages.success(request, f"Certificate {cert.code} is ready to download.")
            return redirect("feedback:certificates")
    return _page(request, teaching_form=form)


@member_required
@require_POST
def issue_attendance(request):
    form = AttendanceCertificateForm(request.POST, series_qs=attended_series(request.user))
    if form.is_valid():
        ok, cert = attempt(
            request, service.issue_attendance_certificate, request.user, form.cleaned_data["series"]
        )
        if ok:
            messages.success(request, f"Certificate {cert.code} is ready to download.")
            return redirect("feedback:certificates")
    return _page(request, attendance_form=form)


@member_required
def pdf(request, code: str):
    cert = service.find(code)
    if cert is None or (cert.user_id != request.user.pk and not is_committee(request.user)):
        raise Http404("No such certificate.")
    response = HttpResponse(service.render_pdf(cert), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{cert.code}.pdf"'
    return response


def verify(request, code: str = ""):
    code = code or request.GET.get("code", "")
    cert = service.find(code) if code else None
    name = request.GET.get("name", "").strip()[:150]
    context = {
        "cert": cert,
        "code": code,
        "url": service.verification_url(cert.code) if cert else "",
        "name": name,
        "name_matches": service.name_matches(cert, name) if cert and name else None,
    }
    return render(
        request, "feedback/verify.html", context, status=404 if code and cert is None else 200
    )
