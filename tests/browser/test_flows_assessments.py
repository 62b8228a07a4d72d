"""Assessment flows in Chromium (R37, R48): grades proposed, calibrated within the 优秀
quota, decided and published; a villager rating from the QR page on a phone; a unit naming
the replacement an adjustment proposal asks for."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments import services
from assessments.models import AdjustmentStatus, RatingSlip, Status
from teams.models import MembershipRole
from tests import factories
from tests.assessments.helpers import plan_for
from tests.browser.test_flows_teams import DESKTOP, open_as, zh  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_proposes_office_calibrates_over_quota_decides_and_publishes(
    open_as,  # noqa: F811
):
    office = factories.office_user()
    team = factories.staffed_team(members=4)  # five cadres: 20 % allows one 优秀
    plan = plan_for(2026, office)
    services.assessment_begin(plan=plan, by=office)
    supervisor = factories.supervisor_of(team)
    rows = list(plan.assessments.order_by("cadre__name"))

    page = open_as(supervisor, viewport=DESKTOP)
    page.goto("/assessments/")
    page.get_by_test_id("annual-link-2026").click()
    for assessment in rows:
        row = page.get_by_test_id(f"row-{assessment.pk}")
        row.locator("select[name=grade]").first.select_option(label="优秀")
        row.locator("input[name=comment]").fill("成绩突出，群众认可")
        row.get_by_test_id("propose").click()
        expect(page.get_by_test_id(f"row-{assessment.pk}").get_by_test_id("status")).to_have_text(
            zh(Status.PROPOSED.label)
        )

    office_page = open_as(office, viewport=DESKTOP)
    office_page.goto("/assessments/2026/")
    expect(office_page.get_by_test_id("quota")).to_contain_text("1")
    first, second = rows[0], rows[1]
    office_page.get_by_test_id(f"row-{first.pk}").get_by_test_id("calibrate").click()
    expect(office_page.get_by_test_id(f"row-{first.pk}").get_by_test_id("grade")).to_have_text(
        "优秀"
    )
    expect(office_page.get_by_test_id("quota")).to_contain_text("0")
    # One too many: refused, and the page says why.
    office_page.get_by_test_id(f"row-{second.pk}").get_by_test_id("calibrate").click()
    expect(office_page.locator("main .alert-danger")).to_contain_text("名额已用完")
    expect(office_page.get_by_test_id(f"row-{second.pk}").get_by_test_id("grade")).to_have_text(
        "—"
    )
    for assessment in rows[1:]:
        row = office_page.get_by_test_id(f"row-{assessment.pk}")
        row.locator("form[action$='/calibrate/'] select[name=grade]").select_option(label="称职")
        row.get_by_test_id("calibrate").click()
        expect(
            office_page.get_by_test_id(f"row-{assessment.pk}").get_by_test_id("grade")
        ).to_have_text("称职")

    office_page.fill("input[name=meeting]", "2026年第4次领导小组会议")
    office_page.get_by_test_id("decide").click()
    expect(office_page.get_by_test_id("decision")).to_contain_text("2026年第4次领导小组会议")
    office_page.fill("input[name=reference]", "组备〔2026〕9号")
    office_page.get_by_test_id("file").click()
    office_page.get_by_test_id("publish").click()
    expect(office_page.locator("main .alert-success")).to_contain_text(
        zh("Results published city-wide.")
    )

    # Any user now reads the results, e.g. staff of a banner elsewhere.
    reader = open_as(factories.area_staff(banner=factories.BannerFactory()))
    reader.goto("/assessments/2026/published/")
    expect(reader.get_by_test_id("published-table")).to_contain_text(rows[0].cadre.name)
    expect(reader.get_by_test_id("published-table").locator("tbody tr")).to_have_count(5)


def test_a_villager_rates_the_team_from_the_qr_page_on_a_phone(browser, live_server):
    office = factories.office_user()
    team = factories.staffed_team()
    plan = plan_for(2026, office)
    rating_round = services.rating_round_open(
        plan=plan, team=team, by=factories.supervisor_of(team)
    )
    slip = rating_round.slips.order_by("number").first()

    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    page.goto(f"/assessments/r/{slip.code}/")  # no login
    expect(page.locator("h1")).to_have_text(zh("Rate the stationed team"))
    expect(page.locator("main")).to_contain_text(team.name)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_label(zh("Satisfied"), exact=True).check()
    page.get_by_test_id("rate").click()
    expect(page.get_by_test_id("thanks")).to_be_visible()
    page.goto(f"/assessments/r/{slip.code}/")
    expect(page.get_by_test_id("used")).to_be_visible()
    context.close()
    slip = RatingSlip.objects.get(pk=slip.pk)
    assert slip.stars == 4 and not slip.on_paper


def test_a_unit_sees_the_adjustment_proposal_and_names_the_replacement(open_as):  # noqa: F811
    office = factories.office_user()
    team = factories.staffed_team()
    member = team.memberships.filter(role=MembershipRole.MEMBER).order_by("pk").first().cadre
    replacement = factories.CadreFactory(unit=member.unit, name="替换干部甲")
    proposal = services.adjustment_propose(
        cadre=member,
        team=team,
        reason="年度考核不称职，不胜任驻村工作",
        deadline=timezone.localdate() + timedelta(days=15),
        by=office,
    )
    contact = factories.unit_contact_of(member.unit)

    page = open_as(contact, viewport=DESKTOP)
    page.goto("/assessments/")
    page.get_by_test_id("open-adjustments").get_by_role("link").click()
    page.get_by_role("link", name=member.name).click()
    expect(page.get_by_test_id("reason")).to_have_text("年度考核不称职，不胜任驻村工作")
    page.locator("select[name=replacement]").select_option(label="替换干部甲")
    page.fill("input[name=note]", "已报单位党委研究")
    page.get_by_test_id("name-replacement").click()
    expect(page.get_by_test_id("status")).to_have_text(zh(AdjustmentStatus.NAMED.label))
    expect(page.get_by_test_id("replacement")).to_contain_text("替换干部甲")
    proposal.refresh_from_db()
    assert proposal.replacement == replacement
