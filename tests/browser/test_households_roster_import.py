"""An office user imports a roster with one bad row and sees the error for that row."""

from datetime import date

import pytest

from households.models import Household
from tests import factories
from tests.households.factories import ensure_policies, make_id_number
from tests.households.roster_files import person_row, workbook_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _policies(transactional_db):
    ensure_policies()


def test_office_imports_roster_with_one_bad_row_and_sees_its_error(page, login, tmp_path):
    team = factories.staffed_team()
    office = factories.office_user()
    good = make_id_number(11, birth=date(1966, 4, 1))
    other = make_id_number(12, birth=date(1972, 9, 3))
    broken = other[:-1] + ("1" if other[-1] != "1" else "2")
    rows = [
        person_row(team.village, head_id=good, head_name="王建国"),
        person_row(team.village, head_id=broken, head_name="张玉兰"),  # row 3: bad check digit
    ]
    roster = tmp_path / "花名册.xlsx"
    roster.write_bytes(workbook_bytes(rows))

    login(office)
    page.get_by_test_id("home-import").click()
    page.set_input_files("input[name=file]", str(roster))
    page.get_by_test_id("import-submit").click()

    errors = page.get_by_test_id("import-errors")
    errors.wait_for()
    text = errors.inner_text()
    assert "3" in text.split("\n")[1]
    assert "GB 11643" in text
    assert not Household.objects.exists()
