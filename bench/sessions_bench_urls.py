"""The site's URLs plus the reference: the smallest Django view, through the same middleware."""

from django.http import HttpResponse
from django.urls import include, path

from meded.roles import member_required


def minimal(request):
    return HttpResponse(b"ok", content_type="text/plain")


@member_required
def minimal_signed_in(request):
    """The reference for signed-in pages: the login check and session, nothing else."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/minimal/", minimal),
    path("bench/minimal-signed-in/", minimal_signed_in),
    path("", include("meded.urls")),
]
