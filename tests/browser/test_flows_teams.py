"""Teams flows in Chromium: the rotation handover of R8 from checklist to the end of the
outgoing term, and the office's R4 approval and R1 activation in the admin.

Each person has their own browser context; the office works in the admin on a desktop.
"""

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from teams import services
from teams.models import (
    Handover,
    HandoverItemKind,
    MembershipRole,
    SelectionStatus,
    Team,
    TeamStatus,
)
from teams.policies import policy_int
from tests import factories
from tests.assessments.helpers import decided_end_of_term
from tests.browser.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def zh(text) -> str:
    """What a person reads: the catalogue's Chinese for ``text`` (a msgid or a lazy label)."""
    with translation.override("zh-hans"):
        return gettext(text) if isinstance(text, str) else str(text)


@pytest.fixture
def open_as(browser, live_server):
    """A browser of its own for each person, logged in through the real form."""
    contexts = []

    def _open(user, viewport=PHONE):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=viewport)
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    yield _open
    for context in contexts:
        context.close()


def run_admin_action(page, *, model: str, pk: int, action: str) -> None:
    """Tick one row of a changelist, choose the action, press Go."""
    page.goto(f"/admin/teams/{model}/")
    page.check(f"input[name=_selected_action][value='{pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")
    page.wait_for_load_state()


def admin_message(page, level: str):
    return page.locator(f"ul.messagelist li.{level}")


def test_r8_rotation_handover_checklist_confirmations_and_end_of_term(open_as):
    """R8: the outgoing leader hands over every item (confirming early is refused), both
    leaders confirm, and only then the office ends the outgoing term in the admin."""
    outgoing = factories.staffed_team(name="乌兰村第一届工作队")
    incoming = factories.TeamFactory(
        name="乌兰村第二届工作队", village=outgoing.village, status=TeamStatus.FORMING
    )
    factories.MembershipFactory(team=incoming, role=MembershipRole.LEADER, is_first_secretary=True)
    factories.MembershipFactory.create_batch(2, team=incoming)
    office = factories.office_user()
    services.team_activate(team=incoming, by=office)
    handover = Handover.objects.get(outgoing_team=outgoing, incoming_team=incoming)
    outgoing_leader = factories.leader_of(outgoing)
    incoming_leader = factories.leader_of(incoming)

    page = open_as(outgoing_leader)
    page.goto(f"/teams/{outgoing.pk}/")
    page.get_by_test_id("handover-link").get_by_role("link").click()
    page.wait_for_url(f"**/teams/handovers/{handover.pk}/")

    def hand_over(kind: str, note: str) -> None:
        item = page.get_by_test_id(f"item-{kind}")
        item.locator("input[name=done]").check()
        item.locator("input[name=note]").fill(note)
        item.get_by_role("button").click()
        expect(page.get_by_test_id(f"item-{kind}")).to_have_attribute("data-done", "1")

    # Until the outgoing leader confirms, the incoming leader has nothing to confirm.
    incoming_page = open_as(incoming_leader)
    incoming_page.goto(f"/teams/handovers/{handover.pk}/")
    expect(incoming_page.get_by_test_id("handover-items")).to_be_visible()
    assert incoming_page.get_by_test_id("confirm-handover").count() == 0
    assert incoming_page.locator("input[name=note]").count() == 0

    kinds = list(HandoverItemKind.values)
    for kind in kinds[:-1]:
        hand_over(kind, f"已移交：{HandoverItemKind(kind).label}")

    # R8: one item is still open, so confirming now is refused.
    page.get_by_test_id("confirm-handover").click()
    expect(page.locator("main [role=alert]")).to_contain_text(
        zh("Every checklist item must be handed over first.")
    )
    expect(page.get_by_test_id("outgoing-confirmed")).to_have_text("—")

    hand_over(kinds[-1], "花名册及结对表已移交")
    page.get_by_test_id("confirm-handover").click()
    expect(page.locator("main [role=alert]")).to_contain_text(zh("Handover confirmed."))
    expect(page.get_by_test_id("outgoing-confirmed")).to_contain_text(str(outgoing_leader))
    assert page.get_by_test_id("confirm-handover").count() == 0
    assert page.locator("input[name=note]").count() == 0  # closed for edits

    # The office cannot end the outgoing term while the incoming leader has not confirmed.
    office_page = open_as(office, viewport=DESKTOP)
    run_admin_action(office_page, model="team", pk=outgoing.pk, action="end_term")
    # Issue 13: the message says what is wrong, without the rule number.
    expect(admin_message(office_page, "error")).to_contain_text("交接尚未完成")
    assert Team.objects.get(pk=outgoing.pk).status == TeamStatus.HANDING_OVER

    incoming_page.reload()
    incoming_page.get_by_test_id("confirm-handover").click()
    expect(incoming_page.get_by_test_id("incoming-confirmed")).to_contain_text(
        str(incoming_leader)
    )

    decided_end_of_term(outgoing, office)  # R37: ending a term needs its assessment too
    run_admin_action(office_page, model="team", pk=outgoing.pk, action="end_term")
    expect(admin_message(office_page, "success")).to_contain_text(outgoing.name)
    row = office_page.locator("#result_list tbody tr").filter(has_text=outgoing.name)
    expect(row).to_contain_text(zh(TeamStatus.ENDED.label))
    outgoing.refresh_from_db()
    assert outgoing.status == TeamStatus.ENDED
    assert outgoing.ended_on == timezone.localdate()
    assert not outgoing.memberships.filter(end_date__isnull=True).exists()


def test_r4_approval_then_r1_activation_in_the_admin(open_as):
    """R4: the office approves a pending cadre with the admin action. R1: a forming team
    with a leader and one member cannot be activated; after adding the approved cadre
    through the membership inline it can."""
    team = factories.TeamFactory(name="巴音村驻村工作队", status=TeamStatus.FORMING)
    factories.MembershipFactory(team=team, role=MembershipRole.LEADER, is_first_secretary=True)
    factories.MembershipFactory(team=team)
    pending = factories.CadreFactory(
        name="其木格", unit=team.unit, selection_status=SelectionStatus.PENDING
    )
    office = factories.office_user()
    page = open_as(office, viewport=DESKTOP)

    run_admin_action(page, model="cadre", pk=pending.pk, action="approve_selection")
    expect(admin_message(page, "success")).to_be_visible()
    row = page.locator("#result_list tbody tr").filter(has_text=pending.name)
    expect(row).to_contain_text(zh(SelectionStatus.APPROVED.label))
    pending.refresh_from_db()
    assert pending.selection_status == SelectionStatus.APPROVED

    run_admin_action(page, model="team", pk=team.pk, action="activate")
    expect(admin_message(page, "error")).not_to_contain_text("R1")  # issue 13
    expect(admin_message(page, "error")).to_contain_text(
        zh("A team needs at least %(n)d members besides the leader (has %(has)d).")
        % {"n": policy_int("team_min_members", timezone.localdate()), "has": 1}
    )
    assert Team.objects.get(pk=team.pk).status == TeamStatus.FORMING

    # Add the approved cadre through the inline, as the office does.
    page.goto(f"/admin/teams/team/{team.pk}/change/")
    group = page.locator("#memberships-group")
    group.locator(".add-row a").click()
    new_row = group.locator("tr.dynamic-memberships").last
    new_row.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill(pending.name)
    page.locator(".select2-results__option", has_text=pending.name).click()
    new_row.locator("select[name$=-role]").select_option(MembershipRole.MEMBER)
    start = max(team.term_start, timezone.localdate())
    new_row.locator("input[name$=-start_date]").fill(start.isoformat())
    page.click("input[name=_continue]")
    expect(admin_message(page, "success")).to_be_visible()
    assert team.memberships.filter(cadre=pending).exists()

    run_admin_action(page, model="team", pk=team.pk, action="activate")
    expect(admin_message(page, "success")).to_contain_text(team.name)
    row = page.locator("#result_list tbody tr").filter(has_text=team.name)
    expect(row).to_contain_text(zh(TeamStatus.ACTIVE.label))
    assert Team.objects.get(pk=team.pk).status == TeamStatus.ACTIVE
