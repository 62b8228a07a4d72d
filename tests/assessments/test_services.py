"""R37, R38, R48: the plan, computed indicators, the three sources, deciding and recall."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from accounts.errors import DomainError, NotAllowed
from accounts.models import Notification
from assessments import services
from assessments.models import (
    AdjustmentStatus,
    AssessmentHistory,
    CaseKind,
    Indicator,
    Kind,
    Plan,
    RatingSlip,
    Status,
)
from attendance.models import AttendanceDay, DaySource, DayStatus
from households.models import PovertyStatus
from reports.models import Errand, ErrandStatus
from teams import services as team_services
from teams.models import MembershipRole, Policy, TeamStatus
from tests import factories
from tests.assessments.helpers import decided_end_of_term, grade
from tests.households.factories import HouseholdFactory, VisitFactory
from tests.reports.factories import ReportFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _english():
    """Refusals are matched in English here; the pages' Chinese is checked elsewhere."""
    with translation.override("en"):
        yield


def _days(team, cadre, first: date, count: int, status: str) -> None:
    AttendanceDay.objects.bulk_create(
        AttendanceDay(
            team=team, cadre=cadre, date=first + timedelta(days=i), status=status,
            source=DaySource.LEADER,
        )
        for i in range(count)
    )  # fmt: skip


def _leader_and_member(team):
    leader = team.memberships.get(role=MembershipRole.LEADER).cadre
    member = team.memberships.filter(role=MembershipRole.MEMBER).order_by("pk").first().cadre
    return leader, member


@pytest.fixture
def march_team(db):
    """A team stationed for March 2026 only: each cadre owes 20 service days (R20)."""
    return factories.staffed_team(
        members=1, term_start=date(2026, 3, 1), term_end=date(2026, 3, 31)
    )


def test_r37_computed_indicators_match_hand_counts(office, plan, march_team):
    team = march_team
    leader, member = _leader_and_member(team)
    # R20/R21: the leader 20 days in the village + 2 official (22 of 20) and one absence;
    # the member 5 days of 20.
    _days(team, leader, date(2026, 3, 1), 20, DayStatus.IN_VILLAGE)
    _days(team, leader, date(2026, 3, 21), 2, DayStatus.OFFICIAL)
    _days(team, leader, date(2026, 3, 24), 1, DayStatus.ABSENT)
    _days(team, member, date(2026, 3, 1), 5, DayStatus.IN_VILLAGE)
    # R14: three households, one visited twice in the year -> 33.33 %.
    # R33: one of them a registered poor household nobody is paired with -> minus 10.
    twice = HouseholdFactory(village=team.village)
    HouseholdFactory(village=team.village)
    HouseholdFactory(village=team.village, poverty_status=PovertyStatus.REGISTERED)
    # R12 errands: one done, one still in progress -> 50 %.
    Errand.objects.create(
        team=team,
        requester="村民甲",
        description="代办低保材料",
        accepted_on=date(2026, 3, 2),
        status=ErrandStatus.DONE,
        done_on=date(2026, 3, 9),
    )
    Errand.objects.create(
        team=team, requester="村民乙", description="咨询医保",
        accepted_on=date(2026, 3, 5), status=ErrandStatus.IN_PROGRESS,
    )  # fmt: skip
    VisitFactory(household=twice, team=team, date=date(2026, 3, 2))
    VisitFactory(household=twice, team=team, date=date(2026, 3, 20))
    # R19: one report on time, one late -> 50 %.
    ReportFactory(
        team=team,
        deadline=date(2026, 4, 10),
        submitted_at=datetime(2026, 4, 9, 10, tzinfo=TZ),
        status="submitted",
    )
    ReportFactory(
        team=team,
        period_start=date(2026, 4, 1),
        period_end=date(2026, 6, 30),
        deadline=date(2026, 7, 10),
        submitted_at=datetime(2026, 7, 15, 10, tzinfo=TZ),
        status="submitted",
    )

    services.assessment_begin(plan=plan, by=office)
    by_cadre = {a.cadre_id: a for a in plan.assessments.all()}
    lead = by_cadre[leader.pk].indicator_scores
    mem = by_cadre[member.pk].indicator_scores
    assert lead["service_days"]["score"] == "100.00"  # 22 of 20, capped
    assert mem["service_days"]["score"] == "25.00"  # 5 of 20
    assert lead["absence"]["score"] == "90.00"  # one unapproved absence: minus 10
    assert mem["absence"]["score"] == "100.00"
    assert lead["visit_coverage"]["score"] == "33.33"
    assert lead["reports_on_time"]["score"] == "50.00"
    assert lead["errands"]["score"] == "50.00"
    assert lead["pairing"]["score"] == "90.00"
    # Sources with no score yet (no routine score, summary or rating) keep their weight out.
    assert lead["routine"]["score"] is None
    assert lead["villagers"]["score"] is None


def test_r37_weighted_total_and_grade_by_band(office, plan, team):
    services.assessment_begin(plan=plan, by=office)
    supervisor = factories.supervisor_of(team)
    for quarter in (1, 2):
        services.routine_score_set(
            plan=plan, team=team, quarter=quarter, score=Decimal(90 + quarter * 2), by=supervisor
        )
    Indicator.objects.filter(plan=plan).exclude(code="routine").update(weight=0)
    services.scores_compute(plan=plan)
    assessment = plan.assessments.first()
    assert assessment.score == Decimal("93.00")  # (92 + 94) / 2: routine feeds the annual
    assert assessment.suggested_grade.name == "优秀"


def test_r37_a_veto_item_caps_the_grade(office, plan, team):
    services.assessment_begin(plan=plan, by=office)
    Indicator.objects.filter(plan=plan).exclude(code="routine").update(weight=0)
    supervisor = factories.supervisor_of(team)
    services.routine_score_set(plan=plan, team=team, quarter=1, score=Decimal(98), by=supervisor)
    services.scores_compute(plan=plan)
    assessment = plan.assessments.order_by("pk").first()
    assert assessment.suggested_grade.name == "优秀"

    falsified = plan.veto_items.get(name="考勤弄虚作假")
    services.veto_record(
        assessment=assessment, item=falsified, note="3月考勤表改动5天", by=office,
        evidence_url="/attendance/sheets/1/",
    )  # fmt: skip
    services.scores_compute(plan=plan)
    assessment.refresh_from_db()
    assert assessment.suggested_grade.name == "不称职"
    with pytest.raises(DomainError, match="不称职"):
        services.grade_propose(
            assessment=assessment, grade=grade(plan, "称职"), by=supervisor, comment="表现一般"
        )


def test_r37_a_frozen_plan_refuses_edits(office, plan, team):
    indicator = plan.indicators.first()
    indicator.full_clean()  # editable before assessment begins
    services.assessment_begin(plan=plan, by=office)
    indicator.refresh_from_db()
    indicator.weight = Decimal(50)
    with pytest.raises(Exception, match="can no longer be edited"):
        indicator.full_clean()
    with pytest.raises(DomainError, match="can no longer be edited"):
        services.plan_require_editable(plan.__class__.objects.get(pk=plan.pk))


def test_r37_a_new_year_starts_from_a_copy(office, plan):
    plan.grades.filter(name="优秀").update(min_score=95)
    new = services.plan_create(year=2027, by=office)
    assert new.copied_from == plan
    assert new.grades.get(name="优秀").min_score == 95
    assert new.indicators.count() == plan.indicators.count()
    assert new.veto_items.get(name="考勤弄虚作假").cap.plan == new
    assert not new.is_frozen


def _propose_all(plan, team, supervisor, name="优秀"):
    for assessment in plan.assessments.filter(team=team):
        services.grade_propose(
            assessment=assessment, grade=grade(plan, name), by=supervisor, comment="成绩突出"
        )


def test_r37_the_excellent_quota_refuses_one_too_many(office, plan):
    teams = [factories.staffed_team(members=4) for _ in range(2)]  # 10 cadres: 2 优秀 allowed
    services.assessment_begin(plan=plan, by=office)
    for team in teams:
        _propose_all(plan, team, factories.supervisor_of(team))
    rows = list(plan.assessments.order_by("pk"))
    services.grade_calibrate(assessment=rows[0], grade=grade(plan, "优秀"), by=office)
    services.grade_calibrate(assessment=rows[1], grade=grade(plan, "优秀"), by=office)
    assert services.excellent_quota(plan=plan).left == 0
    with pytest.raises(DomainError, match="quota is used up: 2 of 10"):
        services.grade_calibrate(assessment=rows[2], grade=grade(plan, "优秀"), by=office)
    # Recalibrating one already counted is not "one more".
    services.grade_calibrate(assessment=rows[1], grade=grade(plan, "优秀"), by=office)


def test_r37_only_the_team_supervision_group_proposes(office, plan, team, other_team):
    services.assessment_begin(plan=plan, by=office)
    assessment = plan.assessments.filter(team=team).first()
    with pytest.raises(NotAllowed):
        services.grade_propose(
            assessment=assessment,
            grade=grade(plan, "称职"),
            by=factories.supervisor_of(other_team),
            comment="x",
        )


def test_r37_decide_file_publish_and_reopen_keep_history(office, plan, team):
    services.assessment_begin(plan=plan, by=office)
    supervisor = factories.supervisor_of(team)
    _propose_all(plan, team, supervisor, name="称职")
    with pytest.raises(DomainError, match="not calibrated"):
        services.results_decide(plan=plan, by=office, meeting="第3次会议")
    for assessment in plan.assessments.all():
        services.grade_calibrate(assessment=assessment, grade=grade(plan, "称职"), by=office)
    with pytest.raises(DomainError, match="File the results"):
        services.results_publish(plan=plan, by=office)
    services.results_decide(plan=plan, by=office, meeting="2026年第3次领导小组会议")
    plan.refresh_from_db()
    assert plan.decided_by == office and plan.decision_meeting == "2026年第3次领导小组会议"
    services.results_file(plan=plan, by=office, reference="组备〔2026〕12号")
    services.results_publish(plan=plan, by=office)
    assessment = plan.assessments.first()
    assert assessment.status == Status.PUBLISHED
    with pytest.raises(DomainError, match="past the proposal"):
        services.grade_propose(
            assessment=assessment, grade=grade(plan, "优秀"), by=supervisor, comment="改"
        )
    with pytest.raises(DomainError, match="reason"):
        services.assessment_reopen(assessment=assessment, by=office, reason=" ")
    services.assessment_reopen(assessment=assessment, by=office, reason="群众举报核实")
    steps = list(
        AssessmentHistory.objects.filter(assessment=assessment).values_list("action", flat=True)
    )
    assert steps == ["propose", "calibrate", "decide", "publish", "reopen"]


def test_r37_a_rating_code_rates_once_and_stores_no_person(office, plan, team):
    supervisor = factories.supervisor_of(team)
    rating_round = services.rating_round_open(plan=plan, team=team, by=supervisor)
    assert rating_round.slips.count() == Policy.objects.get(key="rating_sample_households").value
    slip = rating_round.slips.first()
    services.rating_submit(code=slip.code, stars=5)
    with pytest.raises(DomainError, match="already been used"):
        services.rating_submit(code=slip.code, stars=1)
    stored = {f.name for f in RatingSlip._meta.get_fields()}
    assert not stored & {"user", "ip", "ip_address", "name", "household", "user_agent"}


def test_r37_below_the_minimum_sample_the_rating_is_insufficient(office, plan, team):
    supervisor = factories.supervisor_of(team)
    rating_round = services.rating_round_open(plan=plan, team=team, by=supervisor)
    minimum = int(Policy.objects.get(key="rating_min_responses").value)
    slips = list(rating_round.slips.all())
    for slip in slips[: minimum - 1]:
        services.rating_submit(code=slip.code, stars=4)
    result = services.rating_results(plan=plan)[team.pk]
    assert result.insufficient and result.responses == minimum - 1
    services.rating_paper_enter(
        rating_round=rating_round, number=slips[minimum - 1].number, stars=4, by=supervisor
    )
    result = services.rating_results(plan=plan)[team.pk]
    assert not result.insufficient and result.average == Decimal("80.00")


def test_r37_village_cadres_review_their_own_village_team_only(office, plan, team, other_team):
    village_staff = factories.area_staff(village=team.village)
    services.village_review_submit(plan=plan, team=team, stars=4, by=village_staff)
    with pytest.raises(NotAllowed):
        services.village_review_submit(plan=plan, team=other_team, stars=4, by=village_staff)


def test_r37_the_cadre_writes_their_own_summary(office, plan, team):
    leader, member = _leader_and_member(team)
    summary = services.work_summary_submit(
        plan=plan, cadre=leader, text="全年工作", by=leader.user
    )
    assert summary.text == "全年工作"
    with pytest.raises(NotAllowed):
        services.work_summary_submit(plan=plan, cadre=leader, text="代写", by=member.user)


def test_r37_team_end_is_refused_without_the_end_of_term_assessment(office, team):
    with pytest.raises(DomainError, match="end-of-term assessment"):
        team_services.team_end(team=team, by=office)
    decided_end_of_term(team, office)
    team_services.team_end(team=team, by=office)
    team.refresh_from_db()
    assert team.status == TeamStatus.ENDED


def test_r48_adjustment_notifies_the_unit_who_names_the_replacement(office, team):
    leader, member = _leader_and_member(team)
    contact = factories.unit_contact_of(member.unit)
    proposal = services.adjustment_propose(
        cadre=member, team=team, reason="年度考核不称职", by=office
    )
    assert Notification.objects.filter(user=contact, key=f"adjustment:{proposal.pk}").exists()
    replacement = factories.CadreFactory(unit=member.unit)
    with pytest.raises(NotAllowed):
        services.adjustment_name_replacement(
            proposal=proposal, replacement=replacement, by=factories.UserFactory()
        )
    with pytest.raises(DomainError, match="another cadre of your unit"):
        services.adjustment_name_replacement(
            proposal=proposal, replacement=factories.CadreFactory(), by=contact
        )
    services.adjustment_name_replacement(proposal=proposal, replacement=replacement, by=contact)
    proposal.refresh_from_db()
    assert proposal.status == AdjustmentStatus.NAMED and proposal.replacement == replacement


def test_r48_the_deadline_reminder_is_sent_once(office, team):
    _leader, member = _leader_and_member(team)
    contact = factories.unit_contact_of(member.unit)
    today = timezone.localdate()
    proposal = services.adjustment_propose(
        cadre=member, team=team, reason="不胜任", deadline=today + timedelta(days=2), by=office
    )
    assert services.adjustment_reminders_send(on=today) == 1
    assert services.adjustment_reminders_send(on=today) == 0
    key = f"adjustment-deadline:{proposal.pk}"
    assert Notification.objects.filter(user=contact, key=key).count() == 1


def test_r48_unit_accountability_names_the_responsible_people(office, team):
    _leader, member = _leader_and_member(team)
    with pytest.raises(DomainError):
        services.case_record(
            cadre=member, kind=CaseKind.UNIT, summary="考勤造假", decided_on=date(2026, 5, 1),
            by=office,
        )  # fmt: skip
    case = services.case_record(
        cadre=member,
        kind=CaseKind.SERIOUS,
        summary="考勤造假",
        decided_on=date(2026, 5, 1),
        by=office,
        evidence=[("3月考勤表改动", "/attendance/sheets/1/")],
    )
    assert case.evidence.get().url == "/attendance/sheets/1/"


def test_r38_recommendations_are_sent_to_the_units(office, plan, team):
    services.assessment_begin(plan=plan, by=office)
    _propose_all(plan, team, factories.supervisor_of(team), name="称职")
    for assessment in plan.assessments.all():
        services.grade_calibrate(assessment=assessment, grade=grade(plan, "称职"), by=office)
    services.results_decide(plan=plan, by=office, meeting="会议")
    assessment = plan.assessments.first()
    contact = factories.unit_contact_of(assessment.cadre.unit)
    services.recommendation_add(
        assessment=assessment, kind="commend", reason="成绩突出，群众认可", by=office
    )
    assert services.recommendations_send(plan=plan, by=office) == 1
    assert Notification.objects.filter(user=contact, key__startswith="recommendation:").exists()
    assert services.recommendations_send(plan=plan, by=office) == 0


def test_r37_end_of_term_assessments_have_their_own_kind(office, plan, team):
    decided_end_of_term(team, office)
    assert plan.assessments.filter(kind=Kind.END_OF_TERM).count() == 3


def test_r37_the_admin_writes_a_plan_and_a_frozen_plan_is_read_only(client, office, team):
    client.force_login(office)
    response = client.post(
        "/admin/assessments/plan/add/",
        {
            "year": 2026,
            "title": "2026年度驻村干部考核方案",
            "notes": "",
            **{
                f"{prefix}-{key}": value
                for prefix in ("grades", "indicators", "veto_items")
                for key, value in (
                    ("TOTAL_FORMS", 0),
                    ("INITIAL_FORMS", 0),
                    ("MIN_NUM_FORMS", 0),
                    ("MAX_NUM_FORMS", 1000),
                )
            },
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.get(year=2026)
    assert plan.grades.count() == 4 and plan.indicators.exists()  # the default plan
    editable = client.get(f"/admin/assessments/plan/{plan.pk}/change/").content.decode()
    assert 'name="indicators-0-weight"' in editable
    services.assessment_begin(plan=plan, by=office)
    frozen = client.get(f"/admin/assessments/plan/{plan.pk}/change/").content.decode()
    assert 'name="indicators-0-weight"' not in frozen


def test_r48_r9_the_named_replacement_runs_through_the_individual_rotation(office, team):
    """R48 -> R9: the unit's named replacement becomes a rotation the office approves."""
    from teams.models import IndividualRotation, Membership

    _leader, member = _leader_and_member(team)
    contact = factories.unit_contact_of(member.unit)
    proposal = services.adjustment_propose(cadre=member, team=team, reason="不胜任", by=office)
    replacement = factories.CadreFactory(unit=member.unit)
    services.adjustment_name_replacement(proposal=proposal, replacement=replacement, by=contact)
    proposal.refresh_from_db()
    rotation = IndividualRotation.objects.get(pk=int(proposal.rotation_ref))
    assert (rotation.outgoing.cadre, rotation.replacement) == (member, replacement)

    team_services.individual_rotation_approve(rotation=rotation, by=office)
    today = timezone.localdate()
    current = set(
        Membership.objects.current(today).filter(team=team).values_list("cadre", flat=True)
    )
    assert replacement.pk in current and member.pk not in current
