"""`|crispy` remembers an unbound form's HTML, keyed on what the form is; never a stale choice,
never another member's value, never a bound form."""

import re

import pytest
from crispy_forms.templatetags import crispy_forms_filters as crispy
from django import forms
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from meded.curriculum.models import Module

TEMPLATE = Template("{% load meded_forms %}{{ form|crispy }}|{{ form.name|as_crispy_field }}")


class ModuleForm(forms.Form):
    name = forms.CharField(max_length=40, help_text="Your name as tutees see it.")
    module = forms.ModelChoiceField(Module.objects.all())


def render(form) -> str:
    return TEMPLATE.render(Context({"form": form}))


def tags(html: str) -> str:
    """The HTML, whitespace between tags aside: a select's options are written in plain Python
    without the newlines Django's option template puts between them (meded/widgets.py)."""
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.fixture
def modules(db):
    return Module.objects.bulk_create(
        [Module(name="Anatomy", slug="anatomy"), Module(name="Physiology", slug="physiology")]
    )


def test_the_remembered_html_is_crispy_s_own(modules):
    form = ModuleForm(initial={"name": "Ada"})
    direct = str(crispy.as_crispy_form(form)) + "|" + str(crispy.as_crispy_field(form["name"]))
    assert tags(render(ModuleForm(initial={"name": "Ada"}))) == tags(direct)
    assert tags(render(ModuleForm(initial={"name": "Ada"}))) == tags(direct)  # from the cache


def test_a_second_render_runs_no_choice_query(modules):
    render(ModuleForm())
    with CaptureQueriesContext(connection) as queries:
        html = render(ModuleForm())
    assert "Physiology" in html
    assert len(queries) == 0


def test_a_new_choice_shows_at_once(modules):
    assert "Pharmacology" not in render(ModuleForm())
    Module.objects.create(name="Pharmacology", slug="pharmacology")
    assert "Pharmacology" in render(ModuleForm())


def test_a_form_for_another_member_never_shows_the_first_member_s_values(modules):
    assert 'value="Ada"' in render(ModuleForm(initial={"name": "Ada"}))
    html = render(ModuleForm(initial={"name": "Grace"}))
    assert 'value="Grace"' in html and "Ada" not in html


def test_choices_narrowed_per_member_are_keyed_on_the_query(modules):
    narrow = ModuleForm()
    narrow.fields["module"].queryset = Module.objects.filter(name="Anatomy")
    render(ModuleForm())
    html = render(narrow)
    assert "Anatomy" in html and "Physiology" not in html


def test_a_label_changed_for_one_member_is_keyed(modules):
    render(ModuleForm())
    form = ModuleForm()
    form.fields["name"].label = "Name on your certificate"
    assert "Name on your certificate" in render(form)


def test_a_bound_form_shows_its_errors_and_posted_values(modules):
    render(ModuleForm())
    html = render(ModuleForm(data={"name": "x" * 50, "module": ""}))
    assert "x" * 50 in html
    assert "This field is required." in html
    assert "Ensure this value has at most 40 characters" in html


def test_every_template_loads_the_remembering_filters():
    """A template that loaded crispy's own library would render its forms afresh every time."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    offenders = [
        str(path.relative_to(root))
        for path in root.glob("**/templates/**/*.html")
        if ".venv" not in path.parts
        and "crispy_forms_tags" in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert offenders == []


class ConsentForm(forms.Form):
    name = forms.CharField(max_length=40)
    agree = forms.BooleanField(required=False)  # its widget holds a function (`check_test`)


def test_a_form_with_a_checkbox_is_remembered_and_keyed_on_its_values(db, monkeypatch):
    renders = []
    original = crispy.as_crispy_form
    monkeypatch.setattr(
        crispy, "as_crispy_form", lambda *a, **kw: renders.append(1) or original(*a, **kw)
    )
    first = render(ConsentForm(initial={"agree": True}))
    assert render(ConsentForm(initial={"agree": True})) == first
    assert len(renders) == 1  # the second came from the cache
    assert "checked" in first and "checked" not in render(ConsentForm())


def test_after_a_write_behind_a_select_only_its_options_are_written_again(modules, monkeypatch):
    """crispy's HTML around a select of rows is remembered apart: a new module shows at once,
    in exactly crispy's HTML, without crispy's templates running again."""
    template = Template("{% load meded_forms %}{{ form|crispy }}")
    template.render(Context({"form": ModuleForm(initial={"name": "Ada"})}))
    Module.objects.create(name="Pharmacology", slug="pharmacology")
    renders = []
    original = crispy.as_crispy_form
    monkeypatch.setattr(
        crispy, "as_crispy_form", lambda *a, **kw: renders.append(1) or original(*a, **kw)
    )
    html = template.render(Context({"form": ModuleForm(initial={"name": "Ada"})}))
    assert renders == []
    assert tags(html) == tags(original(ModuleForm(initial={"name": "Ada"})))
    assert "Pharmacology" in html


def test_a_select_rendered_field_by_field_is_crispy_s_own_after_a_write(modules):
    template = Template("{% load meded_forms %}{{ form.module|as_crispy_field }}")
    assert "Anatomy" in template.render(Context({"form": ModuleForm()}))
    Module.objects.create(name="Pharmacology", slug="pharmacology")
    form = ModuleForm()
    html = template.render(Context({"form": form}))
    assert tags(html) == tags(crispy.as_crispy_field(form["module"]))
    assert "Pharmacology" in html
