"""A strict Content-Security-Policy: every asset is vendored, so nothing but 'self' is needed."""

from django.conf import settings

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; media-src 'self' blob:; font-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "MEDED_CSP", POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class RefuseNulCharactersMiddleware:
    """A NUL character has no place in a URL or a form field, and PostgreSQL refuses it in any
    query (a 500 wherever the value reached the database). Refused at the door with a 400 page
    that says why; uploaded files are not form fields and are not looked at. An id in a URL
    beyond what the database holds (`<int:pk>` takes any number of digits) is a 404 before any
    view tries to lock or load it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.http import Http404

        from meded.parsing import BIGINT_MAX

        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not 0 <= value <= BIGINT_MAX:
                raise Http404("No such page.")
        return None

    def __call__(self, request):
        if _has_nul(request):
            from django.shortcuts import render

            return render(
                request,
                "400.html",
                {"reason": "The address or a form field contained a NUL character (%00)."},
                status=400,
            )
        return self.get_response(request)


def _has_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    for data in (request.GET, *([request.POST] if request.method == "POST" else [])):
        for key, values in data.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return True
    return False
