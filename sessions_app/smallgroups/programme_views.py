"""Small-group programme pages: the committee's list, form and review; members' groups page."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from meded.errors import attempt
from meded.remember import page_parts, remember_html
from meded.roles import committee_required, member_required

from . import programmes, proposal
from .programme_forms import AskToMoveForm, MoveForm, ProgrammeForm
from .programme_models import Programme
from .programme_selectors import for_member, programme_list, review

TEMPLATES = "sessions_app/smallgroups/"


def _programme(pk: int) -> Programme:
    return get_object_or_404(Programme.objects.select_related("year", "module"), pk=pk)


@committee_required
def programme_index(request):
    return render(request, TEMPLATES + "programmes.html", {"programmes": programme_list()})


@committee_required
def programme_new(request):
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        ok, programme = attempt(
            request, programmes.create_programme, request.user, form=form, **data
        )
        if ok:
            messages.success(
                request, "The programme is created. Enrol the year or wait for sign-ups."
            )
            return redirect("sessions_app:programme", programme.pk)
    status = 400 if request.method == "POST" else 200
    body = remember_html(
        request,
        "programme_new",
        page_parts(request),
        TEMPLATES + "_programme_form_body.html",
        lambda: {"form": form},
    )
    return render(request, TEMPLATES + "programme_form.html", {"body": body}, status=status)


@committee_required
def programme_detail(request, pk: int):
    programme = _programme(pk)
    found = review(programme)
    form = MoveForm(found, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            student = next(
                e.student for e in found.enrolments if e.student_id == form.cleaned_data["student"]
            )
            ok, _ = attempt(
                request,
                proposal.move,
                request.user,
                programme,
                student,
                form.cleaned_data["group"],
                form=form,
            )
            if ok:
                messages.success(request, f"{student} is moved.")
                return redirect("sessions_app:programme", programme.pk)
        status = 400
    return render(
        request,
        TEMPLATES + "programme_review.html",
        {"review": found, "programme": programme, "move_form": form},
        status=status,
    )


@require_POST
@committee_required
def programme_run(request, pk: int):
    ok, _ = attempt(request, proposal.run, _programme(pk))
    if ok:
        messages.success(request, "The engine formed the groups around the locked ones.")
    return redirect("sessions_app:programme", pk)


@require_POST
@committee_required
def programme_enrol(request, pk: int):
    ok, added = attempt(request, programmes.enrol_year, request.user, _programme(pk))
    if ok:
        messages.success(
            request, f"{added} member{'s' if added != 1 else ''} of the year enrolled."
        )
    return redirect("sessions_app:programme", pk)


@require_POST
@committee_required
def programme_lock(request, pk: int, group_pk: int):
    locked = request.POST.get("locked") == "1"
    ok, _ = attempt(request, proposal.set_locked, _programme(pk), group_pk, locked)
    if ok:
        messages.success(request, "The group is locked." if locked else "The group is unlocked.")
    return redirect("sessions_app:programme", pk)


@require_POST
@committee_required
def request_handled(request, pk: int, request_pk: int):
    ok, _ = attempt(request, programmes.handle_request, request.user, request_pk)
    if ok:
        messages.success(request, "The request is marked handled.")
    return redirect("sessions_app:programme", pk)


@member_required
def my_groups(request):
    """The member's own groups and what is open to their year: kept until any of it changes."""
    user = request.user
    content = remember_html(
        request,
        "smallgroups:mine",
        (user.pk, user.verified_year),
        TEMPLATES + "_my_groups_content.html",
        lambda: for_member(user),
    )
    return render(request, TEMPLATES + "my_groups.html", {"content": content})


@require_POST
@member_required
def sign_up(request, pk: int):
    ok, _ = attempt(request, programmes.sign_up, request.user, _programme(pk))
    if ok:
        messages.success(request, "You are signed up. Keep your availability up to date.")
    return redirect("sessions_app:my_groups")


@require_POST
@member_required
def leave(request, pk: int):
    ok, _ = attempt(request, programmes.leave, request.user, _programme(pk))
    if ok:
        messages.success(request, "You have left the programme.")
    return redirect("sessions_app:my_groups")


@require_POST
@member_required
def ask_to_move(request, pk: int):
    form = AskToMoveForm(request.POST)
    if form.is_valid():
        ok, _ = attempt(
            request,
            programmes.request_move,
            request.user,
            _programme(pk),
            form.cleaned_data["reason"],
        )
        if ok:
            messages.success(request, "The committee has your request.")
    else:
        messages.error(request, "Say what would suit you better (at most 500 characters).")
    return redirect("sessions_app:my_groups")
