"""The site's URLs plus the reference: the smallest Django view, through the same middleware."""

from django.http import HttpResponse
from django.urls import include, path


def minimal(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal), path("", include("meded.urls"))]
