"""crispy-forms' filters, with an empty form's HTML remembered.

Templates `{% load meded_forms %}` instead of `crispy_forms_tags` and keep `{{ form|crispy }}`
(crispy's other filters are here too). crispy renders each field through several
nested templates: a form with a few selects cost 20-60 ms a request, more than everything else
on its page. An unbound form's HTML is a function of what its fields are (class, label, help,
widget and attributes, initial value, choices): that fingerprint is the key, and the choices'
queries run inside `remember()`, so a new topic or year drops the entry. A bound form (errors,
posted values) is always rendered afresh.
"""

from __future__ import annotations

from decimal import Decimal
from types import FunctionType
from typing import Any
from uuid import UUID

from crispy_forms.templatetags import crispy_forms_filters as crispy
from crispy_forms.templatetags.crispy_forms_utils import remove_spaces
from crispy_forms.utils import TEMPLATE_PACK
from django import template
from django.forms import BaseForm, BoundField, Select
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.safestring import mark_safe

from meded.remember import remember
from meded.widgets import PLAIN_TWINS, render_plain

register = template.Library()
register.filters.update(crispy.register.filters)
register.tags.update(crispy.register.tags)
_SIMPLE = (str, int, float, bool, type(None))


class _Unkeyable(Exception):
    """Something in the form cannot be fingerprinted: render it afresh."""


def _plain(value: Any) -> Any:
    if isinstance(value, _SIMPLE):
        return value
    if isinstance(value, (Promise, Decimal, UUID)):
        return str(value)
    if isinstance(value, range):
        return ("range", value.start, value.stop, value.step)
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _plain(v)) for k, v in value.items()))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk") and hasattr(value, "_meta"):
        return (value._meta.label, value.pk)
    if isinstance(value, FunctionType) and "<" not in value.__qualname__:
        # a module's function (a checkbox's `check_test`) is the same code whoever holds it; a
        # lambda or a closure may hold values of its own, so it is never keyed
        return ("function", value.__module__, value.__qualname__)
    raise _Unkeyable(type(value).__name__)


def _widget(widget) -> tuple:
    state = []
    for name, value in sorted(vars(widget).items()):
        if name in ("choices", "_choices"):
            continue  # keyed from the field
        if name == "widgets":
            state.append((name, tuple(_widget(w) for w in value)))
        else:
            state.append((name, _plain(value)))
    return (type(widget).__qualname__, tuple(state))


def _choices(field) -> Any:
    queryset = getattr(field, "queryset", None)
    if queryset is not None:
        label = getattr(field.label_from_instance, "__qualname__", "")
        try:
            return ("qs", str(queryset.query), label, field.empty_label)
        except Exception as exc:  # an empty queryset has no SQL
            raise _Unkeyable("queryset") from exc
    choices = getattr(field, "choices", None)
    return None if choices is None else _plain(list(choices))


def _field(bf: BoundField) -> tuple:
    field = bf.field
    return (
        bf.html_name,
        bf.auto_id,
        type(field).__qualname__,
        str(field.label),
        str(field.help_text),
        field.required,
        field.disabled,
        field.show_hidden_initial,
        _plain(bf.value()),
        _widget(field.widget),
        _choices(field),
    )


def _form_key(form: BaseForm) -> tuple:
    return (
        type(form).__module__,
        type(form).__qualname__,
        form.prefix,
        str(form.auto_id),
        form.label_suffix,
        form.use_required_attribute,
        tuple(_field(bf) for bf in form),
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )


def _fresh_options(field) -> bool:
    """A select of database rows (see `_remember`)."""
    return getattr(field, "queryset", None) is not None and isinstance(field.widget, Select)


_SLOT = "\x00meded-options:{}\x00"


def _remember(name: str, key: tuple, render, fields: list[BoundField], *, collapse: bool) -> str:
    """`render()` remembered under `key`. With selects of database rows among `fields`, crispy's
    HTML around them is remembered apart, without their options: after a write to a table behind
    the options, only the options are written again (in plain Python for meded's selects and
    Django's own, meded/widgets.py), not every field's templates. `collapse`: crispy's
    whole-form whitespace rule."""
    fresh = {bf.html_name: bf for bf in fields if _fresh_options(bf.field)}
    if not fresh:
        return remember(name, key, render)

    def around() -> tuple[str, dict]:
        given: dict[str, tuple] = {}
        for bf in fresh.values():
            widget = bf.field.widget  # this form's own copy of the widget
            widget.render = _slot_writer(given, widget)
        try:
            html = render()
        finally:
            for bf in fresh.values():
                del bf.field.widget.render
        if set(given) != set(fresh):  # a template wrote the options itself: nothing to fill
            raise _Unkeyable("options")
        return html, given

    def whole() -> str:
        try:
            html, given = remember(name + "-around", key, around)  # reads no table
        except _Unkeyable:
            return render()
        for field_name, (value, attrs) in given.items():
            bf = fresh[field_name]
            widget = bf.field.widget
            if type(widget) in PLAIN_TWINS:  # Django's template per option: written in Python
                options = render_plain(widget, field_name, value, attrs)
            else:
                options = widget.render(field_name, value, attrs, bf.form.renderer)
            html = html.replace(_SLOT.format(field_name), str(options))
        return remove_spaces(html) if collapse else html

    return remember(name, key, whole)


def _slot_writer(given: dict, widget):
    def render(name, value, attrs=None, renderer=None):
        # crispy adds its classes to the widget's own attributes: kept with the ones it passed
        given.setdefault(name, (value, {**widget.attrs, **(attrs or {})}))
        return mark_safe(_SLOT.format(name))

    return render


def _cacheable(form) -> bool:
    return isinstance(form, BaseForm) and not form.is_bound and not hasattr(form, "helper")


@register.filter(name="crispy")
def as_crispy_form(form, template_pack=TEMPLATE_PACK, label_class="", field_class=""):
    render = lambda: str(  # noqa: E731
        crispy.as_crispy_form(form, template_pack, label_class, field_class)
    )
    if not _cacheable(form):
        return mark_safe(render())
    try:
        key = (_form_key(form), str(template_pack), label_class, field_class)
    except _Unkeyable:
        return mark_safe(render())
    return mark_safe(_remember("crispy-form", key, render, list(form), collapse=True))


@register.filter(name="as_crispy_field")
def as_crispy_field(field, template_pack=TEMPLATE_PACK, label_class="", field_class=""):
    render = lambda: str(  # noqa: E731
        crispy.as_crispy_field(field, template_pack, label_class, field_class)
    )
    if not isinstance(field, BoundField) or not _cacheable(field.form):
        return mark_safe(render())
    try:
        key = (
            type(field.form).__module__,
            type(field.form).__qualname__,
            field.form.prefix,
            _field(field),
            str(template_pack),  # a lazy object until first used: its repr changes then
            label_class,
            field_class,
            translation.get_language(),
        )
    except _Unkeyable:
        return mark_safe(render())
    return mark_safe(_remember("crispy-field", key, render, [field], collapse=False))
