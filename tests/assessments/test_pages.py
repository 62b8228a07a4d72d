"""R37/R38/R48 pages: scoping before and after publication, ids in URLs, query counts."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from assessments import services
from assessments.models import Kind, RatingSlip
from core.models import ExportLog
from teams.models import MembershipRole
from tests import factories
from tests.assessments.helpers import grade

pytestmark = pytest.mark.django_db


def _decide_and_publish(plan, office, teams):
    for team in teams:
        supervisor = factories.supervisor_of(team)
        for assessment in plan.assessments.filter(team=team):
            services.grade_propose(
                assessment=assessment, grade=grade(plan, "称职"), by=supervisor, comment="称职"
            )
            services.grade_calibrate(assessment=assessment, grade=grade(plan, "称职"), by=office)
    services.results_decide(plan=plan, by=office, meeting="领导小组会议")
    services.results_file(plan=plan, by=office, reference="组备1号")
    services.results_publish(plan=plan, by=office)


@pytest.fixture
def two_teams(office, plan, team, other_team):
    services.assessment_begin(plan=plan, by=office)
    return team, other_team


def _names(response) -> set[str]:
    return {a.cadre.name for a in response.context["rows"]}


def test_r37_units_see_only_their_cadres_before_publication(client, plan, two_teams):
    team, other_team = two_teams
    contact = factories.unit_contact_of(team.unit)
    client.force_login(contact)
    names = _names(client.get(f"/assessments/{plan.year}/"))
    assert names == {m.cadre.name for m in team.memberships.all()}
    other = plan.assessments.filter(team=other_team).first()
    assert client.get(f"/assessments/a/{other.pk}/").status_code == 404


def test_r37_area_staff_see_only_their_area(client, plan, two_teams):
    team, other_team = two_teams
    client.force_login(factories.area_staff(banner=team.village.township.banner))
    names = _names(client.get(f"/assessments/{plan.year}/"))
    assert names == {m.cadre.name for m in team.memberships.all()}


def test_r37_teammates_do_not_see_each_others_grades(client, plan, two_teams):
    team, _other = two_teams
    member = factories.a_member_of(team)
    client.force_login(member)
    names = _names(client.get(f"/assessments/{plan.year}/"))
    assert names == {member.cadre.name}


def test_r37_everyone_reads_the_results_after_publication(client, office, plan, two_teams):
    team, other_team = two_teams
    unit_contact = factories.unit_contact_of(team.unit)
    client.force_login(unit_contact)
    assert client.get(f"/assessments/{plan.year}/published/").status_code == 404
    _decide_and_publish(plan, office, [team, other_team])
    response = client.get(f"/assessments/{plan.year}/published/")
    assert len(response.context["rows"]) == 6
    other = plan.assessments.filter(team=other_team).first()
    page = client.get(f"/assessments/a/{other.pk}/")
    assert page.status_code == 200 and not page.context["full"]  # the grade, not the papers
    assert 'data-testid="history"' not in page.content.decode()
    circular = client.get(f"/assessments/{plan.year}/circular/?format=docx")
    assert circular["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ExportLog.objects.filter(user=unit_contact, kind="assessment_circular").exists()


def test_r37_a_supervisor_cannot_propose_for_another_group_by_changing_the_id(
    client, plan, two_teams
):
    team, other_team = two_teams
    client.force_login(factories.supervisor_of(team))
    other = plan.assessments.filter(team=other_team).first()
    response = client.post(
        f"/assessments/a/{other.pk}/propose/",
        {"grade": grade(plan, "优秀").pk, "comment": "x"},
    )
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.proposed_grade is None


def test_r37_calibrating_over_the_quota_says_why(client, office, plan, two_teams):
    team, other_team = two_teams
    for t in (team, other_team):
        supervisor = factories.supervisor_of(t)
        for a in plan.assessments.filter(team=t):
            services.grade_propose(
                assessment=a, grade=grade(plan, "优秀"), by=supervisor, comment="好"
            )
    rows = list(plan.assessments.order_by("pk"))  # 6 cadres x 20 % -> 1 优秀
    client.force_login(office)
    client.post(f"/assessments/a/{rows[0].pk}/calibrate/", {"grade": grade(plan, "优秀").pk})
    response = client.post(
        f"/assessments/a/{rows[1].pk}/calibrate/",
        {"grade": grade(plan, "优秀").pk, "back": f"/assessments/{plan.year}/"},
        follow=True,
    )
    text = response.content.decode()
    assert "优秀" in text and "名额已用完" in text
    assert response.context["quota"].left == 0


def test_r37_the_rating_page_needs_no_login_and_keeps_no_person(client, office, plan, team):
    rating_round = services.rating_round_open(
        plan=plan, team=team, by=factories.supervisor_of(team)
    )
    slip = rating_round.slips.first()
    page = client.get(f"/assessments/r/{slip.code}/")
    assert page.status_code == 200 and team.name in page.content.decode()
    response = client.post(f"/assessments/r/{slip.code}/", {"stars": 4}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200 and response.context["thanks"]
    again = client.post(f"/assessments/r/{slip.code}/", {"stars": 1})
    assert again.status_code == 400
    row = RatingSlip.objects.filter(pk=slip.pk).values()[0]
    assert "10.1.2.3" not in str(row) and row["stars"] == 4
    assert "_auth_user_id" not in client.session


def test_r37_slips_print_with_qr_codes(client, office, plan, team):
    supervisor = factories.supervisor_of(team)
    rating_round = services.rating_round_open(plan=plan, team=team, by=supervisor)
    client.force_login(supervisor)
    text = client.get(f"/assessments/rounds/{rating_round.pk}/").content.decode()
    assert text.count('mm" version="1.1"') == rating_round.slips.count()  # one QR per slip
    client.force_login(factories.supervisor_of(factories.staffed_team()))
    assert client.get(f"/assessments/rounds/{rating_round.pk}/").status_code == 404


def test_r37_the_summary_form_shows_the_cadres_figures(client, plan, team):
    leader = factories.leader_of(team)
    client.force_login(leader)
    response = client.get(f"/assessments/{plan.year}/summary/")
    assert "驻村天数" in response.content.decode() or response.context["figures"]
    client.post(f"/assessments/{plan.year}/summary/", {"text": "全年驻村工作总结"})
    assert plan.summaries.get(cadre=leader.cadre).text == "全年驻村工作总结"


def test_r48_a_unit_names_the_replacement_on_the_proposal_page(client, office, team):
    member = team.memberships.filter(role=MembershipRole.MEMBER).first().cadre
    proposal = services.adjustment_propose(
        cadre=member, team=team, reason="不胜任", by=office,
        deadline=timezone.localdate() + timedelta(days=10),
    )  # fmt: skip
    replacement = factories.CadreFactory(unit=member.unit)
    other_contact = factories.unit_contact_of(factories.UnitFactory())
    client.force_login(other_contact)
    assert client.get(f"/assessments/adjustments/{proposal.pk}/").status_code == 404
    client.force_login(factories.unit_contact_of(member.unit))
    client.post(f"/assessments/adjustments/{proposal.pk}/", {"replacement": replacement.pk})
    proposal.refresh_from_db()
    assert proposal.replacement == replacement


def test_r48_an_overdue_adjustment_shows_on_the_office_alerts(client, office, team):
    member = team.memberships.filter(role=MembershipRole.MEMBER).first().cadre
    proposal = services.adjustment_propose(
        cadre=member, team=team, reason="不胜任", by=office,
        deadline=timezone.localdate() + timedelta(days=1),
    )  # fmt: skip
    type(proposal).objects.filter(pk=proposal.pk).update(
        deadline=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(office)
    response = client.get("/assessments/")
    assert [p.pk for p in response.context["overdue"]] == [proposal.pk]


def test_art13_dossier_is_scoped_like_cadre_pages_and_exports(client, office, plan, team):
    services.assessment_begin(plan=plan, by=office)
    cadre = team.memberships.first().cadre
    client.force_login(factories.unit_contact_of(cadre.unit))
    response = client.get(f"/assessments/cadres/{cadre.pk}/dossier/")
    assert response.status_code == 200 and response.context["assessments"]
    xlsx = client.get(f"/assessments/cadres/{cadre.pk}/dossier/?format=xlsx")
    book = load_workbook(BytesIO(xlsx.content))
    assert len(book.sheetnames) == 4
    client.force_login(factories.unit_contact_of(factories.UnitFactory()))
    assert client.get(f"/assessments/cadres/{cadre.pk}/dossier/").status_code == 404


def test_art13_dossier_queries_do_not_grow_with_records(
    client, office, plan, team, django_assert_max_num_queries
):
    services.assessment_begin(plan=plan, by=office)
    cadre = team.memberships.first().cadre
    for kind in ("criticism", "serious"):
        services.case_record(
            cadre=cadre, kind=kind, summary="x", decided_on=timezone.localdate(), by=office,
            evidence=[("a", "/x/"), ("b", "/y/")],
        )  # fmt: skip
    client.force_login(office)
    with django_assert_max_num_queries(200):  # a fixed number per month shown
        client.get(f"/assessments/cadres/{cadre.pk}/dossier/")


@pytest.fixture
def city_of_300(office, plan):
    """30 teams of 10 cadres in 3 banners, all assessed."""
    banners = [factories.BannerFactory() for _ in range(3)]
    teams = [
        factories.staffed_team(
            members=9,
            village=factories.VillageFactory(township__banner=banners[i % 3]),
        )
        for i in range(30)
    ]
    services.assessment_begin(plan=plan, by=office)
    assert plan.assessments.count() == 300
    return teams


def test_r37_annual_table_queries_do_not_grow_with_300_cadres(
    client, office, plan, city_of_300, django_assert_max_num_queries
):
    client.force_login(office)
    with django_assert_max_num_queries(20):
        response = client.get(f"/assessments/{plan.year}/")
    assert len(response.context["rows"]) == 100
    with django_assert_max_num_queries(20):
        response = client.get(f"/assessments/{plan.year}/export/")
    book = load_workbook(BytesIO(response.content))
    assert book.active.max_row == 302  # title, header and 300 cadres
    supervisor = factories.supervisor_of(city_of_300[0])
    client.force_login(supervisor)
    with django_assert_max_num_queries(20):
        response = client.get(f"/assessments/{plan.year}/")
    assert len(response.context["rows"]) == 10


def test_r37_scores_compute_in_constant_queries(
    office, plan, city_of_300, django_assert_max_num_queries
):
    with django_assert_max_num_queries(60):
        assert services.scores_compute(plan=plan, kind=Kind.ANNUAL) == 300


def test_r37_the_office_runs_the_end_of_term_assessment_from_the_table(client, office, plan, team):
    client.force_login(office)
    client.post(f"/assessments/{plan.year}/step/term/", {"team": team.pk})
    term = plan.assessments.filter(kind=Kind.END_OF_TERM, team=team)
    assert term.count() == 3
    supervisor = factories.supervisor_of(team)
    for assessment in term:
        services.grade_propose(
            assessment=assessment, grade=grade(plan, "称职"), by=supervisor, comment="期满"
        )
        services.grade_calibrate(assessment=assessment, grade=grade(plan, "称职"), by=office)
    client.post(
        f"/assessments/{plan.year}/step/decide/", {"team": team.pk, "meeting": "领导小组会议"}
    )
    assert not term.exclude(status="decided").exists()
    assert not plan.assessments.filter(kind=Kind.ANNUAL).exists()


def test_r37_the_supervision_group_scores_the_summary_and_figures_link_to_records(
    client, office, plan, team
):
    leader = factories.leader_of(team)
    services.work_summary_submit(plan=plan, cadre=leader.cadre, text="总结", by=leader)
    services.assessment_begin(plan=plan, by=office)
    assessment = plan.assessments.get(cadre=leader.cadre)
    client.force_login(factories.supervisor_of(team))
    page = client.get(f"/assessments/a/{assessment.pk}/")
    urls = [url for _indicator, _part, url in page.context["parts"] if url]
    assert f"/attendance/teams/{team.pk}/" in urls[0]
    client.post(f"/assessments/a/{assessment.pk}/summary/", {"score": "88"})
    assessment.refresh_from_db()
    assert assessment.indicator_scores["summary"]["score"] == "88.00"


def test_r37_the_form_never_sends_the_user_to_an_outside_address(client, plan, two_teams):
    team, _other = two_teams
    client.force_login(factories.supervisor_of(team))
    assessment = plan.assessments.filter(team=team).first()
    response = client.post(
        f"/assessments/a/{assessment.pk}/propose/",
        {"grade": grade(plan, "称职").pk, "comment": "好", "back": "https://evil.example/"},
    )
    assert response["Location"] == f"/assessments/a/{assessment.pk}/"


def test_r37_recompute_runs_in_the_background_and_updates_scores(
    client, office, plan, team, django_capture_on_commit_callbacks
):
    services.assessment_begin(plan=plan, by=office)
    services.routine_score_set(
        plan=plan, team=team, quarter=1, score=Decimal(60), by=office
    )  # rescoring the team already
    plan.assessments.update(score=None)
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/assessments/{plan.year}/step/compute/")
    assert not plan.assessments.filter(score=None).exists()


def test_r38_a_unit_reads_its_own_cadres_on_the_recommendation_list(
    client, office, plan, two_teams
):
    team, other_team = two_teams
    _decide_and_publish(plan, office, [team, other_team])
    for assessment in plan.assessments.all():
        services.recommendation_add(
            assessment=assessment, kind="promote", reason="优先选拔", by=office
        )
    client.force_login(factories.unit_contact_of(team.unit))
    rows = client.get(f"/assessments/{plan.year}/recommendations/").context["rows"]
    assert {r.assessment.cadre.unit_id for r in rows} == {team.unit_id} and len(rows) == 3
