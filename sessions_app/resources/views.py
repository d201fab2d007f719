"""Pages for recordings and resources: upload, library, recording page, downloads, review."""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from meded.errors import attempt
from meded.remember import page_parts, remember_html
from meded.roles import (
    committee_required,
    is_committee,
    is_tutor,
    member_required,
    tutor_required,
)
from sessions_app.booking.fingerprint import member_bookings
from sessions_app.resources import audience, selectors, services
from sessions_app.resources import library as library_rows
from sessions_app.resources.file_serving import serve_private_file
from sessions_app.resources.forms import (
    CaptionsForm,
    LibraryFilterForm,
    ResourceEditForm,
    ResourceUploadForm,
    VersionUploadForm,
)
from sessions_app.resources.models import Resource, ResourceAccess, ResourceVersion
from sessions_app.scheduling.models import TeachingSession

PAGE_SIZE = 20
NOT_YOURS = "You can open this resource once it is released to you."


def _saved(request, form, save):
    """Run the service for a valid POSTed form: its resource's page, or None to show the form
    again with the refusal next to the field it is about."""
    if request.method != "POST" or not form.is_valid():
        return None
    ok, resource = attempt(request, save, form=form)
    if not ok:
        return None
    messages.success(request, f"“{resource.title}” saved: {resource.get_status_display()}.")
    return redirect(resource)


def _upload(request, session: TeachingSession | None):
    if not services.can_upload_to(request.user, session):
        raise PermissionDenied("Only this session's tutors and the committee can add resources.")
    form = ResourceUploadForm(request.POST or None, request.FILES or None, session=session)
    saved = _saved(
        request,
        form,
        lambda: services.create_resource(request.user, session=session, **form.service_kwargs()),
    )
    return saved or render(
        request, "sessions_app/resource_upload.html", {"form": form, "session": session}
    )


@tutor_required
def upload_for_session(request, pk: int):
    return _upload(request, get_object_or_404(TeachingSession, pk=pk))


@tutor_required
def upload_general(request):
    return _upload(request, None)


# Playback speeds offered beside a recording; the student's choice is remembered in the browser.
SPEEDS = ["0.75", "1", "1.25", "1.5", "1.75", "2"]


def _viewable(request, pk: int) -> Resource:
    resource = get_object_or_404(selectors.with_related(Resource.objects.all()), pk=pk)
    if not services.can_view(request.user, resource):
        raise PermissionDenied(NOT_YOURS)
    return resource


def _detail_page(request, resource: Resource, *, version_form=None, captions_form=None):
    """The resource page; the upload forms come back bound, with their errors, after a refusal."""
    manage = services.can_manage(request.user, resource)
    is_recording = resource.kind == Resource.Kind.RECORDING
    context = {
        "resource": resource,
        "version": resource.current_version(),
        "can_manage": manage,
        "can_publish": is_committee(request.user),
        "slides": selectors.recording_slides(request.user, resource) if is_recording else [],
        "version_form": (version_form or VersionUploadForm()) if manage else None,
        "captions_form": (captions_form or CaptionsForm()) if manage and is_recording else None,
        "speeds": SPEEDS,
    }
    return render(request, "sessions_app/resource_detail.html", context)


@member_required
def detail(request, pk: int):
    resource = _viewable(request, pk)
    audience.record_access(request.user, resource, ResourceAccess.Kind.VIEW)
    return _detail_page(request, resource)


@member_required
def download(request, pk: int):
    """The current file; ?inline=1 streams it for the page (video, PDF) without counting."""
    resource = _viewable(request, pk)
    version = resource.current_version()
    if version is None:
        raise Http404("This resource has no file.")
    inline = request.GET.get("inline") == "1"
    # A resumed download asks for the rest by Range: count the download once, at its start.
    resumed = request.headers.get("Range", "bytes=0-").strip()[:8] != "bytes=0-"
    if not inline and not resumed:
        audience.record_access(request.user, resource, ResourceAccess.Kind.DOWNLOAD)
    user = request.user
    playing = inline and resource.kind == Resource.Kind.RECORDING
    return serve_private_file(
        request,
        version.file,
        filename=version.filename,
        content_type=version.content_type,
        as_attachment=not inline,
        # the page's player streams inline: what it received is what counts as watched
        on_served=(lambda a, b, size: audience.record_playback(user, resource, a, b, size))
        if playing
        else None,
    )


@member_required
def version_download(request, pk: int, version_pk: int):
    resource = get_object_or_404(Resource, pk=pk)
    if not services.can_manage(request.user, resource):
        raise PermissionDenied("Earlier versions are for this resource's tutors and committee.")
    version = get_object_or_404(ResourceVersion, pk=version_pk, resource=resource)
    return serve_private_file(
        request,
        version.file,
        filename=version.filename,
        content_type=version.content_type,
        as_attachment=True,
    )


@member_required
def captions(request, pk: int):
    resource = _viewable(request, pk)
    if not resource.captions:
        raise Http404("This recording has no captions.")
    return serve_private_file(
        request,
        resource.captions,
        filename="captions.vtt",
        content_type="text/vtt",
        as_attachment=False,
    )


def _managed(request, pk: int, related: bool = True) -> Resource:
    qs = Resource.objects.all()
    resource = get_object_or_404(selectors.with_related(qs) if related else qs, pk=pk)
    if not services.can_manage(request.user, resource):
        raise PermissionDenied("Only this resource's tutors and the committee can change it.")
    return resource


@member_required
def edit(request, pk: int):
    posted = request.method == "POST"
    resource = _managed(request, pk, related=posted)  # a GET's page is remembered below
    form = ResourceEditForm(request.POST, resource=resource) if posted else None
    saved = form and _saved(
        request,
        form,
        lambda: services.update_details(request.user, resource, **form.detail_kwargs()),
    )
    if saved:
        return saved

    def context() -> dict:
        # read again while remembering: any change of the resource drops the page
        here = get_object_or_404(selectors.with_related(Resource.objects.all()), pk=pk)
        return {"form": form or ResourceEditForm(resource=here), "resource": here}

    body = remember_html(
        request,
        "resource_edit",
        page_parts(request, pk),
        "sessions_app/_resource_edit_body.html",
        context,
    )
    return render(request, "sessions_app/resource_edit.html", {"resource": resource, "body": body})


@require_POST
@member_required
def new_version(request, pk: int):
    resource = _managed(request, pk)
    form = VersionUploadForm(request.POST, request.FILES)
    if (
        form.is_valid()
        and attempt(
            request,
            services.add_version,
            request.user,
            resource,
            form.cleaned_data["file"],
            form=form,
        )[0]
    ):
        waits = resource.status == Resource.Status.AWAITING_REVIEW
        messages.success(
            request,
            "New version uploaded; earlier versions stay listed."
            + (" It waits for the committee's review before students see it." if waits else ""),
        )
        return redirect(resource)
    return _detail_page(request, resource, version_form=form)


@require_POST
@member_required
def upload_captions(request, pk: int):
    resource = _managed(request, pk)
    form = CaptionsForm(request.POST, request.FILES)
    if (
        form.is_valid()
        and attempt(
            request,
            services.set_captions,
            request.user,
            resource,
            form.cleaned_data["captions"],
            form=form,
        )[0]
    ):
        messages.success(request, "Captions saved.")
        return redirect(resource)
    return _detail_page(request, resource, captions_form=form)


@member_required
def library(request):
    """Personal (what the member may open depends on their bookings, teaching and roles), so
    kept per member and query until a release time passes or anything it read changes (its
    booking reads are the member's own rows: others' bookings leave it in place)."""
    user = request.user
    query = sorted(request.GET.lists())
    parts = (user.pk, is_committee(user), is_tutor(user), query, selectors.last_release())
    content = remember_html(
        request,
        "resources:library",
        parts,
        "sessions_app/_library_content.html",
        lambda: _library_context(request.GET, user),
        cover=member_bookings(user),
    )
    return render(request, "sessions_app/resource_library.html", {"content": content})


def _library_context(query, user) -> dict:
    form = LibraryFilterForm(query or None)
    filters = selectors.LibraryFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.LibraryFilters(
            q=d["q"],
            kind=d["kind"],
            year=d["year"].number if d["year"] else None,
            module=d["module"].slug if d["module"] else "",
            topic=d["topic"].strip().upper(),
        )
    page = library_rows.page(user, filters, query.get("page"))
    return {
        "request": SimpleNamespace(GET=query),  # the query only, for the pagination links
        "form": form,
        "page": page,
        "rows": library_rows.rendered(page),
        "can_upload": services.can_upload_to(user, None),
    }


@committee_required
def review(request):
    kind = request.GET.get("kind", "")

    def context() -> dict:
        page = Paginator(selectors.committee_overview(kind=kind), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return {
            "queue": selectors.review_queue(),
            "page": page,
            "kinds": Resource.Kind.choices,
            "kind": kind,
        }

    body = remember_html(
        request,
        "resource_review",
        page_parts(request),
        "sessions_app/_resource_review_body.html",
        context,
    )
    return render(request, "sessions_app/resource_review.html", {"body": body})


@require_POST
@committee_required
def publish(request, pk: int):
    resource = get_object_or_404(Resource, pk=pk)
    if attempt(request, services.publish, request.user, resource)[0]:
        messages.success(request, f"“{resource.title}” is published.")
    return redirect("sessions_app:resource_review")


@require_POST
@committee_required
def unpublish(request, pk: int):
    resource = get_object_or_404(Resource, pk=pk)
    services.return_to_draft(request.user, resource)
    messages.success(request, f"“{resource.title}” is back in draft.")
    return redirect("sessions_app:resource_review")
