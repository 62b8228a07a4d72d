"""A team leader logs in on a phone and sees their team, and no other team."""

import pytest

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_sees_own_team_and_nothing_else(page, login):
    mine = factories.staffed_team(name="乌兰村驻村工作队")
    theirs = factories.staffed_team(name="巴音村驻村工作队")
    leader = factories.leader_of(mine)

    login(leader)
    page.get_by_test_id("my-team-link").click()
    assert page.get_by_test_id("team-name").inner_text() == "乌兰村驻村工作队"
    assert mine.memberships.first().cadre.name in page.get_by_test_id("member-table").inner_text()

    page.goto("/teams/")
    table = page.get_by_test_id("team-table").inner_text()
    assert "乌兰村驻村工作队" in table
    assert "巴音村驻村工作队" not in table

    response = page.goto(f"/teams/{theirs.pk}/")
    assert response.status == 404
