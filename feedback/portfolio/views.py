"""Portfolio pages: the tutor's own (with reflections and links), the PDF, the shared page."""

from __future__ import annotations

from functools import partial

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from feedback.fragments import memo_render, portfolio_shown
from meded.errors import attempt
from meded.fragment_memo import Memo
from meded.parsing import parse_id
from meded.remember import CSRF_SENTINEL, member_key, minute, remember, with_csrf
from meded.roles import committee_required, tutor_required

from . import selectors, services
from .forms import LinkForm, ReflectionForm
from .models import CareerLink, PortfolioLink, Reflection

MINE, MINE_BODY = "feedback/portfolio/mine.html", "feedback/portfolio/_mine_body.html"


@tutor_required
def mine(request):
    """The tutor's portfolio; a plain visit's HTML is remembered for the member, the address
    (the private links print it) and the minute (feedback is released with the clock)."""
    if request.method == "POST":
        ctx = _mine_context(request)
        return ctx if isinstance(ctx, HttpResponse) else render(request, MINE, ctx)
    parts = (
        *member_key(request.user),
        request.GET.urlencode(),
        request.scheme,
        request.get_host(),
        minute(),
    )
    html = remember("portfolio", parts, lambda: _mine_body(request))
    return render(request, MINE, {"body": mark_safe(with_csrf(request, html))})


def _mine_body(request) -> str:
    """A plain visit's body, rendered once per process for what it shows
    (meded/fragment_memo.py): a write behind the portfolio drops the remembered body, and the
    portfolio read again usually shows the same."""
    ctx = {**_mine_context(request), "csrf_token": CSRF_SENTINEL}
    links = tuple((k.pk, str(k), k.revoked_at, k.token) for k in ctx["links"])
    address = (request.scheme, request.get_host(), request.GET.urlencode())  # the links print it
    shown = (portfolio_shown(ctx["p"]), links, address)
    return memo_render(MINE_BODY, shown, ctx, request)


def _mine_context(request) -> dict | HttpResponse:
    p = selectors.portfolio(request.user, private=True)
    sessions = [r.session for r in reversed(p.results)]  # the taught sessions, latest first
    form = ReflectionForm(
        request.POST if request.method == "POST" else None,
        sessions=sessions,
        initial={"session": parse_id(request.GET.get("session"))},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, _ = attempt(
            request,
            services.save_reflection,
            request.user,
            d["session"],
            d["text"],
            d["in_portfolio"],
            form=form,
        )
        if ok:
            messages.success(request, "Reflection saved.")
            return redirect("feedback:portfolio")
    return {
        "p": p,
        "form": form,
        "link_form": LinkForm(),
        "links": selectors.tutor_links(request.user),
        "owner": True,
    }


@tutor_required
@require_POST
def reflection_toggle(request, pk: int):
    reflection = get_object_or_404(Reflection, pk=pk, tutor=request.user)
    include = request.POST.get("include") == "1"
    ok, _ = attempt(request, services.set_included, request.user, reflection, include)
    if ok:
        messages.success(
            request, "Included in your portfolio." if include else "Now private to you."
        )
    return redirect("feedback:portfolio")


@tutor_required
@require_POST
def reflection_delete(request, pk: int):
    reflection = get_object_or_404(Reflection, pk=pk, tutor=request.user)
    ok, _ = attempt(request, services.delete_reflection, request.user, reflection)
    if ok:
        messages.success(request, "Reflection deleted.")
    return redirect("feedback:portfolio")


@tutor_required
def pdf(request):
    """The PDF's bytes are remembered for the member and the minute, and drawn once per process
    for what the PDF prints (a write behind the portfolio rarely changes it)."""
    data = remember(
        "portfolio-pdf",
        (*member_key(request.user), minute()),
        lambda: _pdf_bytes(selectors.portfolio(request.user)),
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="teaching-portfolio.pdf"'
    return response


_pdfs = Memo(200)


def _pdf_bytes(p: selectors.Portfolio) -> bytes:
    """`services.portfolio_pdf(p)`, drawn once per process for what it prints (reportlab takes
    several milliseconds for a page); bounded, keyed on the time zone (dates) and the content."""
    key = (timezone.get_current_timezone_name(), portfolio_shown(p))
    return _pdfs.get(key, lambda: services.portfolio_pdf(p))


@tutor_required
@require_POST
def link_create(request):
    form = LinkForm(request.POST)
    if form.is_valid():
        ok, _ = attempt(request, services.create_link, request.user, form.cleaned_data["label"])
        if ok:
            messages.success(request, "Private link made. Anyone with it can see your portfolio.")
    else:
        messages.error(request, "Keep the label under 100 characters.")
    return redirect("feedback:portfolio")


@tutor_required
@require_POST
def link_revoke(request, pk: int):
    link = get_object_or_404(PortfolioLink, pk=pk, tutor=request.user)
    ok, _ = attempt(request, services.revoke_link, request.user, link)
    if ok:
        messages.success(request, "Link switched off; it no longer opens your portfolio.")
    return redirect("feedback:portfolio")


def shared(request, token: str):
    """The private link: anyone holding it, until the tutor revokes it."""
    link = selectors.live_link(token)
    if link is None:
        raise Http404("This link has been switched off or never existed.")
    response = render(
        request,
        "feedback/portfolio/shared.html",
        {"p": selectors.portfolio(link.tutor), "owner": False},
    )
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


def shared_pdf(request, token: str):
    link = selectors.live_link(token)
    if link is None:
        raise Http404("This link has been switched off or never existed.")
    data = services.portfolio_pdf(selectors.portfolio(link.tutor))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="teaching-portfolio.pdf"'
    return response


class CareerLinkForm(forms.ModelForm):
    class Meta:
        model = CareerLink
        fields = ["title", "url", "description"]
        field_classes = {"url": partial(forms.URLField, assume_scheme="https")}


@committee_required
def careers(request):
    """The committee curates links to medical-education career information."""
    form = CareerLinkForm(request.POST or None)
    if request.method == "POST" and request.POST.get("remove"):
        link = get_object_or_404(CareerLink, pk=parse_id(request.POST["remove"]))
        attempt(request, services.remove_career_link, request.user, link)
        return redirect("feedback:portfolio_careers")
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        ok, _ = attempt(
            request,
            services.add_career_link,
            request.user,
            d["title"],
            d["url"],
            d["description"],
            form=form,
        )
        if ok:
            messages.success(request, "Link added to every portfolio.")
            return redirect("feedback:portfolio_careers")
    return render(
        request,
        "feedback/portfolio/careers.html",
        {"form": form, "links": CareerLink.objects.all()},
    )
