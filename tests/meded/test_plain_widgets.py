"""The plain selects (meded/widgets.py) write what Django's select templates write, elements,
attributes and their order, whitespace between tags aside: a form keeps its HTML when its
select is swapped for the fast one; and a posted multiple choice reads back the same."""

import re

import pytest
from django import forms

from meded.widgets import PlainSelect, PlainSelectMultiple

CHOICES = [
    ("", "---------"),
    ("1", "Anatomy & <Physiology>"),
    ("Clinical", [("2", 'Cardiology "A"'), ("3", "Renal")]),
    ("4", "Year 4 or later"),
]


def _tags(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize(
    ("plain", "django", "value"),
    [
        (PlainSelect, forms.Select, "2"),
        (PlainSelect, forms.Select, None),
        (PlainSelectMultiple, forms.SelectMultiple, ["1", "3"]),
        (PlainSelectMultiple, forms.SelectMultiple, []),
    ],
)
def test_a_plain_select_writes_what_djangos_writes(plain, django, value):
    attrs = {"class": "form-select", "size": 8, "required": True, "disabled": False}
    extra = {"id": "id_topic", "aria-describedby": "id_topic_helptext"}
    ours = plain(attrs=attrs, choices=CHOICES).render("topic", value, attrs=extra)
    theirs = django(attrs=attrs, choices=CHOICES).render("topic", value, attrs=extra)
    assert _tags(ours) == _tags(theirs)
    assert "&lt;Physiology&gt;" in ours and "&quot;A&quot;" in ours


def test_a_posted_multiple_choice_reads_back_as_djangos_does():
    from django.http import QueryDict

    data = QueryDict("tutors=3&tutors=5")
    widget = PlainSelectMultiple()
    assert widget.value_from_datadict(data, {}, "tutors") == ["3", "5"]
    assert widget.value_omitted_from_data(data, {}, "other") is False


@pytest.mark.django_db
@pytest.mark.parametrize("data", [None, {"year": "3", "module": "cardiology"}, {"year": "9"}])
def test_the_resource_librarys_model_selects_write_what_djangos_wrote(data):
    """Year and module (ModelChoiceFields by number and slug) as Django's select wrote them."""
    from meded.models import Module, Year
    from sessions_app.resources.forms import LibraryFilterForm

    for n in (1, 2, 3):
        Year.objects.get_or_create(number=n)
    Module.objects.get_or_create(slug="cardiology", defaults={"name": "Cardiology & <Renal>"})
    form = LibraryFilterForm(data)
    form.is_valid()
    for name in ("year", "module"):
        ours = form[name].as_widget()
        attrs = form.fields[name].widget.attrs
        theirs = form[name].as_widget(
            widget=forms.Select(attrs=attrs, choices=form.fields[name].choices)
        )
        assert _tags(ours) == _tags(theirs)
        assert "<option" in ours


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{}, {"year": "3", "kind": "lecture", "delivery": "online"}])
def test_the_session_filters_selects_write_what_djangos_wrote(data):
    """Year, kind and delivery on the sessions list and calendar, as Django's select wrote them."""
    from sessions_app.scheduling.forms import SessionFilterForm

    form = SessionFilterForm(data)
    form.is_valid()
    for name in ("year", "kind", "delivery"):
        field = form.fields[name]
        ours = form[name].as_widget()
        theirs = form[name].as_widget(
            widget=forms.Select(attrs=field.widget.attrs, choices=field.choices)
        )
        assert _tags(ours) == _tags(theirs)
        assert ours.count("<option") == len(field.choices) > 1


@pytest.mark.django_db
def test_a_remembered_crispy_form_writes_djangos_own_selects_as_django_does(monkeypatch):
    """A form that keeps Django's selects of rows (a ModelForm's foreign key): after a write
    drops its options, they are written in plain Python, and the page reads as crispy wrote it."""
    from crispy_forms.templatetags import crispy_forms_filters as crispy

    from meded.models import Module, Topic
    from meded.remember import bump
    from meded.templatetags.meded_forms import as_crispy_form
    from tests.factories.core import ModuleFactory, TopicFactory

    class Form(forms.Form):
        module = forms.ModelChoiceField(queryset=Module.objects.all(), required=False)
        topics = forms.ModelMultipleChoiceField(
            queryset=Topic.objects.select_related("module"),
            widget=forms.SelectMultiple(attrs={"size": 6}),
            help_text="One or more <b>topics</b>.",
        )

    TopicFactory(module=ModuleFactory(name="Cardio & <Resp>"), title='Murmurs "S3"')
    TopicFactory()
    as_crispy_form(Form())  # remembered: the HTML around the options
    bump([Module._meta.db_table, Topic._meta.db_table])  # a new topic would drop the options
    templated = []
    for select in (forms.Select, forms.SelectMultiple):
        monkeypatch.setattr(select, "render", lambda *a, **k: templated.append(a) or "")
    ours = str(as_crispy_form(Form()))
    assert not templated  # no option went through Django's templates
    monkeypatch.undo()
    theirs = str(crispy.as_crispy_form(Form()))
    assert _tags(ours) == _tags(theirs)
    assert "Cardio &amp; &lt;Resp&gt;" in ours and "selectmultiple" in ours
