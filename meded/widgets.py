"""Select widgets that write their options in plain Python.

Django's default renders a template per option: a topic or tutor list of a few hundred options
cost 10-20 ms a form, on every page whose remembered form was dropped by a write. `Select` and
`SelectMultiple` write the elements and attributes Django's do, in its order, and keep its class
names (crispy prints a widget's class name as a CSS class)."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


class _PlainOptions:
    """The options written in plain Python (mixed into a Django select)."""

    name_first = True  # as Django's template writes it

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))

        def options(choices) -> str:
            return "".join(
                f'<option value="{escape(v)}"{" selected" if str(v) in selected else ""}>'
                f"{escape(label)}</option>"
                for v, label in choices
            )

        body = "".join(
            f'<optgroup label="{escape(group)}">{options(items)}</optgroup>'
            if isinstance(items, (list, tuple))
            else options([(group, items)])
            for group, items in self.choices
        )
        extra = {"multiple": True} if self.allow_multiple_selected else {}
        if self.name_first:
            final = self.build_attrs(self.attrs, {**(attrs or {}), **extra})
            return mark_safe(f'<select name="{escape(name)}"{_attrs(final)}>{body}</select>')
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name, **extra})
        return mark_safe(f"<select{flatatt(final)}>{body}</select>")


def render_plain(widget: forms.Select, name, value, attrs=None) -> str:
    """What `widget.render()` writes, for a plain `forms.Select` or `forms.SelectMultiple` of
    Django's (a form that never swapped its widget: a ModelForm's foreign key), written here."""
    assert type(widget) in PLAIN_TWINS, type(widget)
    return _PlainOptions.render(_Twin(widget), name, value, attrs)


class _Twin:
    """A Django select seen as a plain one: its own state, the plain writer's name order."""

    name_first = True

    def __init__(self, widget: forms.Select):
        self._widget = widget

    def __getattr__(self, name: str):
        return getattr(self._widget, name)


def _attrs(attrs: dict) -> str:
    """As Django's "django/forms/widgets/attrs.html" writes them: in order, True bare."""
    return "".join(
        f" {key}" if value is True else f' {key}="{escape(value)}"'
        for key, value in attrs.items()
        if value is not False
    )


class Select(_PlainOptions, forms.Select):
    """forms.Select, its options written in plain Python."""


class SelectMultiple(_PlainOptions, forms.SelectMultiple):
    """forms.SelectMultiple, its options written in plain Python."""


PlainSelect, PlainSelectMultiple = Select, SelectMultiple  # named apart from Django's on import
# Django's own selects whose HTML `render_plain` writes (not a subclass: it may have a template).
PLAIN_TWINS = (forms.Select, forms.SelectMultiple)


def model_options(field: forms.ModelChoiceField, *columns: str) -> list[tuple]:
    """A model choice field's options as plain pairs, its rows read with only the `columns` its
    labels show: Django's choice iterator reads whole rows and wraps every value, several
    milliseconds for a few hundred topics or tutors on a page dropped by a write."""
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    return empty + [(o.pk, field.label_from_instance(o)) for o in field.queryset.only(*columns)]


class QuickSelect(_PlainOptions, forms.Select):
    """A select that writes its options in plain Python: hundreds of topics cost a millisecond,
    where the template-per-option default made the browse page several times slower."""

    name_first = False
