"""A committee member imports the curriculum in the browser: a bad file is explained row by
row and changes nothing; the corrected file goes in."""

import pytest

from meded.models import Topic
from tests.browser.conftest import assert_accessible, assert_fits_320, login
from tests.factories import CommitteeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def import_csv(page, path, text: str) -> None:
    path.write_text(text)
    page.get_by_label("Curriculum CSV").set_input_files(str(path))
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state()


def test_committee_fixes_a_bad_csv_and_imports_it(page, tmp_path):
    login(page, CommitteeFactory().email)
    page.goto("/committee/")
    page.get_by_role("link", name="Curriculum").click()
    assert_accessible(page)

    import_csv(page, tmp_path / "bad.csv", "code,title,module,years\nCARD-01,ECG,Cardiology,7\n")
    assert "Line 2: year '7' is not a whole number from 1 to 6" in page.inner_text("main")
    assert Topic.objects.count() == 0
    assert_accessible(page)

    import_csv(page, tmp_path / "good.csv", "code,title,module,years\nCARD-01,ECG,Cardiology,3\n")
    assert "New modules" in page.inner_text("main") and Topic.objects.count() == 0
    assert_accessible(page)
    page.get_by_role("button", name="Apply these changes").click()
    page.wait_for_load_state()
    assert "1 topic(s) created" in page.inner_text("main")
    assert page.get_by_role("cell", name="CARD-01").is_visible()
    assert Topic.objects.get(code="CARD-01").title == "ECG"


def test_curriculum_page_reflows_at_320_px(phone_page):
    login(phone_page, CommitteeFactory().email)
    phone_page.goto("/committee/curriculum/")
    assert_fits_320(phone_page)
    assert_accessible(phone_page)
