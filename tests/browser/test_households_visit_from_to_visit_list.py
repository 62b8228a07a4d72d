"""A member logs a visit with a photo from the "to visit" list; the household leaves the
overdue list (R13)."""

import io

import pytest
from PIL import Image

from households.models import Visit
from tests import factories
from tests.households.factories import HouseholdFactory, ensure_policies

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _policies(transactional_db):
    ensure_policies()


def test_member_logs_visit_with_photo_and_household_leaves_overdue_list(page, login, tmp_path):
    team = factories.staffed_team()  # term started 2026-01-01: every household is overdue
    household = HouseholdFactory(village=team.village, head_name="乌日娜")
    HouseholdFactory(village=team.village, head_name="其木格")
    member = factories.a_member_of(team)
    photo = tmp_path / "visit.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1800), (90, 140, 200)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())

    login(member)
    page.get_by_test_id("home-to-visit").click()
    page.get_by_test_id("overdue-filter").click()
    item = page.get_by_test_id("to-visit-item").filter(has_text="乌日娜")
    assert "乌日娜" in item.inner_text()
    item.get_by_test_id("visit-button").click()

    page.select_option("select[name=kind]", "initial")
    page.fill("textarea[name=findings]", "家中老人身体健康，住房安全")
    page.set_input_files("input[name=photos]", str(photo))
    page.get_by_test_id("save-visit").click()

    page.wait_for_url("**/households/to-visit/**")
    overdue = page.get_by_test_id("to-visit-list").inner_text()
    assert "乌日娜" not in overdue
    assert "其木格" in overdue
    visit = Visit.objects.get(household=household)
    assert visit.photos.count() == 1
    assert max(visit.photos.get().width, visit.photos.get().height) == 1600
