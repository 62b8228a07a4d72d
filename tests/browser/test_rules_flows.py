"""Issue 10 in Chromium: the office meets the R3 refusal in the admin, a supervisor
records a talk (R36), and an individual rotation (R9) runs from the leader's request to the
replacement's first-visit list (R13)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from households.models import Pairing, PovertyStatus
from teams.models import IndividualRotation, Membership, MembershipRole, RotationStatus, Talk
from tests import factories
from tests.browser.test_flows_teams import DESKTOP, admin_message, open_as, zh  # noqa: F401
from tests.households.factories import HouseholdFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _pick(page, field: str, text: str) -> None:
    """Choose ``text`` in an admin autocomplete (select2) field."""
    page.locator(f".field-{field} .select2-selection").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).click()


def test_office_meets_the_r3_refusal_on_the_memberships_page(open_as):  # noqa: F811
    team = factories.staffed_team(name="乌兰村驻村工作队")
    other = factories.staffed_team(name="巴音村驻村工作队")
    busy = other.memberships.filter(role=MembershipRole.MEMBER).first().cadre
    page = open_as(factories.office_user(), viewport=DESKTOP)

    page.goto("/admin/teams/membership/add/")
    _pick(page, "team", team.name)
    _pick(page, "cadre", busy.name)
    page.select_option("select[name=role]", MembershipRole.MEMBER)
    page.fill("input[name=start_date]", timezone.localdate().isoformat())
    page.click("input[name=_save]")

    errors = page.locator(".errornote, .errorlist")
    expect(errors.last).to_contain_text("已在工作队")  # R3: already serves in another team
    expect(errors.last).to_contain_text(busy.name)
    assert not Membership.objects.filter(team=team, cadre=busy).exists()


def test_a_supervisor_records_a_talk_with_a_cadre(open_as):  # noqa: F811
    team = factories.staffed_team()
    cadre = team.memberships.filter(role=MembershipRole.MEMBER).first().cadre
    page = open_as(factories.supervisor_of(team))

    page.goto(f"/teams/cadres/{cadre.pk}/")
    form = page.get_by_test_id("talk-form")
    form.locator("input[name=talk-topic]").fill("驻村思想状况")
    form.locator("textarea[name=talk-notes]").fill("反映饮水工程资金缺口")
    form.locator("button[type=submit]").click()

    expect(page.locator(".alert-success")).to_contain_text(zh("The talk is recorded."))
    expect(page.get_by_test_id("talks")).to_contain_text("驻村思想状况")
    assert Talk.objects.get(cadre=cadre).topic == "驻村思想状况"


def test_an_individual_rotation_from_request_to_the_new_cadres_first_visits(open_as):  # noqa: F811
    team = factories.staffed_team()
    leaving = team.memberships.filter(role=MembershipRole.MEMBER).order_by("pk").first()
    replacement = factories.CadreFactory(unit=team.unit, name="其木格")
    households = [
        HouseholdFactory(
            village=team.village, poverty_status=PovertyStatus.REGISTERED, head_name=name
        )
        for name in ("巴图", "乌日娜")
    ]
    for household in households:
        Pairing.objects.create(
            household=household, cadre=leaving.cadre, start_date=team.term_start
        )

    leader = open_as(factories.leader_of(team))
    leader.goto(f"/teams/cadres/{leaving.cadre.pk}/")
    leader.get_by_test_id("request-replacement").click()
    leader.select_option("select[name=replacement]", label=replacement.name)
    leader.fill("textarea[name=reason]", "本人身体原因，申请调整")
    leader.click("form[data-testid=rotation-request-form] button[type=submit]")
    expect(leader.get_by_test_id("rotation-status")).to_contain_text(
        zh(RotationStatus.REQUESTED.label)
    )
    rotation = IndividualRotation.objects.get()

    office = open_as(factories.office_user(), viewport=DESKTOP)
    office.goto(f"/teams/rotations/{rotation.pk}/")
    office.fill("input[name=arrival_date]", timezone.localdate().isoformat())
    office.click("button[name=approve]")
    expect(office.get_by_test_id("rotation-status")).to_contain_text(
        zh(RotationStatus.APPROVED.label)
    )
    expect(office.get_by_test_id("personal-handover")).to_contain_text(replacement.name)

    newcomer = open_as(replacement.user)
    newcomer.goto("/households/to-visit/")
    first_visits = newcomer.get_by_test_id("first-visit-list")
    expect(first_visits.get_by_test_id("first-visit-item")).to_have_count(2)
    expect(first_visits).to_contain_text("巴图")
    expect(first_visits).to_contain_text("乌日娜")
