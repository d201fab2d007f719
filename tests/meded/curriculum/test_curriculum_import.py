import pytest
from django.core.management import CommandError, call_command

from meded.curriculum.services import CurriculumImportError, import_curriculum
from meded.models import Module, Topic
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db

GOOD = """code,title,module,years
CARD-01,ECG interpretation,Cardiology,3;4
RESP-01,Asthma,Respiratory Medicine,3
"""


def test_import_creates_topics_modules_and_years():
    result = import_curriculum(GOOD)
    assert (result.created, result.updated) == (2, 0)
    ecg = Topic.objects.get(code="CARD-01")
    assert ecg.module.name == "Cardiology"
    assert sorted(y.number for y in ecg.years.all()) == [3, 4]
    assert Module.objects.count() == 2


def test_reimport_updates_rather_than_duplicates():
    import_curriculum(GOOD)
    result = import_curriculum(GOOD.replace("Asthma", "Asthma in adults"))
    assert (result.created, result.updated) == (0, 2)
    assert Topic.objects.get(code="RESP-01").title == "Asthma in adults"


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported():
    TopicFactory(code="KEEP-01", title="Unchanged")
    bad = """code,title,module,years
CARD-01,ECG interpretation,Cardiology,3;4
CARD-02,,Cardiology,3
CARD-03,Heart failure,Cardiology,7
CARD-01,Duplicate,Cardiology,3
KEEP-01,Changed,Cardiology,x
"""
    with pytest.raises(CurriculumImportError) as caught:
        import_curriculum(bad)
    lines = [(e.line, e.message) for e in caught.value.errors]
    assert lines == [
        (3, "title is empty"),
        (4, "year '7' is not a whole number from 1 to 6"),
        (5, "code CARD-01 already appears on line 2"),
        (6, "year 'x' is not a whole number from 1 to 6"),
    ]
    assert not Topic.objects.filter(code__startswith="CARD").exists()
    assert Topic.objects.get(code="KEEP-01").title == "Unchanged"


def test_missing_header_column_is_reported_on_line_1():
    with pytest.raises(CurriculumImportError) as caught:
        import_curriculum("code,title,years\nA,B,3\n")
    assert caught.value.errors[0].line == 1
    assert "missing column(s) module" in caught.value.errors[0].message


def test_command_exits_non_zero_naming_file_and_line(tmp_path, capsys):
    path = tmp_path / "curriculum.csv"
    path.write_text("code,title,module,years\nA-1,Title,Mod,0\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_curriculum", str(path))
    assert f"{path}:2: year '0' is not a whole number from 1 to 6" in capsys.readouterr().err
    assert not Topic.objects.exists()


def test_command_reports_what_it_imported(tmp_path, capsys):
    path = tmp_path / "curriculum.csv"
    path.write_text(GOOD)
    call_command("import_curriculum", str(path))
    assert "2 topic(s) created, 0 updated, 2 new module(s)" in capsys.readouterr().out


def test_command_names_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match=r"nope\.csv: cannot read the file"):
        call_command("import_curriculum", str(tmp_path / "nope.csv"))
