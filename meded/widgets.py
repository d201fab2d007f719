"""Select widgets that write their options in plain Python.

Django's default renders a template per option: a topic or tutor list of a few hundred options
cost 10-20 ms a form, on every page whose remembered form was dropped by a write. The HTML is
the same elements and attributes the default writes."""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A select that writes its options in plain Python: hundreds of topics cost a millisecond,
    where the template-per-option default made the browse page several times slower."""

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
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name, **extra})
        return mark_safe(f"<select{flatatt(final)}>{body}</select>")


class QuickSelectMultiple(QuickSelect):
    """The multiple choice of QuickSelect (tutors of a session)."""

    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        return forms.SelectMultiple().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return False  # an empty multiple select sends nothing, as SelectMultiple says
