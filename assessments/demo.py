"""Demo data for assessments: last year assessed and published, this year in progress, one
villagers' rating open, one recall under way and one accountability case.

Idempotent: a second run finds last year's plan and only adds this year's assessments of
cadres that are new (``seed_demo --scale city`` after the demo city).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import OFFICE_GROUP, User
from assessments import services
from assessments.models import (
    AdjustmentProposal,
    Assessment,
    AssessmentHistory,
    CaseKind,
    IndicatorSource,
    Plan,
    RatingSlip,
    RoutineScore,
    Status,
)
from teams.models import Cadre, MembershipRole, Team


def _office() -> User | None:
    return (
        User.objects.filter(Q(is_superuser=True) | Q(groups__name=OFFICE_GROUP))
        .order_by("pk")
        .first()
    )


def seed(*, scale: str = "demo", stdout=None) -> None:
    office = _office()
    if office is None:
        return
    today = timezone.localdate()
    with transaction.atomic():
        last = Plan.objects.filter(year=today.year - 1).first()
        if last is None:
            last = services.plan_create(year=today.year - 1, by=office)
            # The program's records start this year, so last year's plan weighed only
            # what people scored.
            last.notes = "上一年度尚无系统记录，计算类指标不计分。"
            last.save(update_fields=["notes"])
            last.indicators.filter(source=IndicatorSource.COMPUTED).update(weight=0)
            _routine_scores(last, quarters=4, rng=random.Random(1))
            services.assessment_begin(plan=last, by=office)
            _decide_and_publish(last, office)
        current = Plan.objects.filter(year=today.year).first()
        if current is None:
            current = services.plan_create(year=today.year, by=office)
            _routine_scores(current, quarters=(today.month - 1) // 3, rng=random.Random(2))
            services.assessment_begin(plan=current, by=office)
            _this_year_in_progress(current, office, today)
        else:
            services.assessment_begin(plan=current, by=office)  # adds new cadres only
    if stdout:
        stdout.write(f"assessments: {Assessment.objects.count()} assessments")


def _routine_scores(plan: Plan, *, quarters: int, rng: random.Random) -> None:
    teams = Team.objects.filter(
        term_start__lte=date(plan.year, 12, 31), term_end__gte=date(plan.year, 1, 1)
    ).exclude(status="forming")
    RoutineScore.objects.bulk_create(
        RoutineScore(
            plan=plan,
            team=team,
            quarter=quarter,
            score=Decimal(rng.randint(70, 98)),
            comment="季度督查",
        )
        for team in teams
        for quarter in range(1, quarters + 1)
    )


def _decide_and_publish(plan: Plan, office) -> None:
    """Last year's results: each grade as its score gives it, 优秀 within the quota."""
    grades = list(plan.grades.order_by("rank"))
    excellent = next(g for g in grades if g.is_excellent)
    fallback = next(g for g in grades if not g.is_excellent)
    quota = services.excellent_quota(plan=plan)
    rows = list(plan.assessments.order_by("-score", "pk"))
    given = 0
    for assessment in rows:
        grade = assessment.suggested_grade or fallback
        if grade == excellent:
            if given >= quota.allowed:
                grade = fallback
            given += grade == excellent
        assessment.proposed_grade = assessment.grade = grade
        assessment.proposal_comment = "年度考核"
        assessment.status = Status.PUBLISHED
    Assessment.objects.bulk_update(
        rows, ["proposed_grade", "grade", "proposal_comment", "status"], batch_size=500
    )
    AssessmentHistory.objects.bulk_create(
        AssessmentHistory(
            assessment=a, actor=office, action=action, status=status, grade_name=a.grade.name
        )
        for a in rows
        for action, status in (
            ("propose", Status.PROPOSED),
            ("calibrate", Status.CALIBRATED),
            ("decide", Status.DECIDED),
            ("publish", Status.PUBLISHED),
        )
    )
    now = timezone.now()
    plan.refresh_from_db()
    plan.decided_at, plan.decided_by = now, office
    plan.decision_meeting = f"{plan.year + 1}年第1次市包联驻村工作领导小组会议"
    plan.filed_at, plan.filing_reference = now, f"组备〔{plan.year + 1}〕3号"
    plan.published_at = now
    plan.save()
    best = next((a for a in rows if a.grade_id == excellent.pk), None)
    if best:
        services.recommendation_add(
            assessment=best, kind="commend", reason="成绩突出、群众认可", by=office
        )
        services.recommendations_send(plan=plan, by=office)


def _this_year_in_progress(plan: Plan, office, today: date) -> None:
    from teams.demo import demo_team

    team = demo_team()
    if team is None:
        return
    supervisor = team.supervision_group.members.order_by("pk").first() if team else None
    # The demo supervision group has proposed grades for its first teams.
    for assessment in plan.assessments.filter(team=team).select_related("suggested_grade"):
        grade = assessment.suggested_grade or plan.grades.get(rank=2)
        services.grade_propose(
            assessment=assessment, grade=grade, by=supervisor or office, comment="工作扎实"
        )
    # One villagers' rating open for the demo team, 12 slips back so far.
    rating_round = services.rating_round_open(plan=plan, team=team, by=supervisor or office)
    rng = random.Random(3)
    slips = list(rating_round.slips.order_by("number")[:12])
    now = timezone.now()
    for slip in slips:
        slip.stars, slip.used_at = rng.choice([3, 4, 4, 5, 5]), now
    RatingSlip.objects.bulk_update(slips, ["stars", "used_at"])
    # The leader's work summary; the village head's review.
    leader = team.memberships.filter(role=MembershipRole.LEADER, end_date__isnull=True).first()
    if leader and leader.cadre.user:
        services.work_summary_submit(
            plan=plan,
            cadre=leader.cadre,
            text="全年驻村，完成入户走访全覆盖，推动合作社增收。",
            by=leader.cadre.user,
        )
    village_head = User.objects.filter(username="village").first()
    if village_head:
        services.village_review_submit(
            plan=plan, team=team, stars=5, comment="工作队扎根嘎查，群众认可", by=village_head
        )
    # One recall under way: the unit has to name a replacement.
    member = (
        team.memberships.filter(role=MembershipRole.MEMBER, end_date__isnull=True)
        .order_by("-pk")
        .select_related("cadre")
        .first()
    )
    if member and not AdjustmentProposal.objects.exists():
        services.adjustment_propose(
            cadre=member.cadre,
            team=team,
            reason="长期不在岗，上一年度考核为基本称职，经提醒仍未改进，不胜任驻村工作。",
            deadline=today + timedelta(days=20),
            by=office,
        )
    # One case: criticism and education for weak performance, with its evidence.
    cadre = Cadre.objects.filter(memberships__team=team).order_by("pk").last()
    if cadre:
        services.case_record(
            cadre=cadre,
            kind=CaseKind.CRITICISM,
            summary="第二季度驻村天数不足，工作日志缺记。",
            outcome="批评教育，限期整改。",
            decided_on=today - timedelta(days=30),
            by=office,
            evidence=[
                ("6月考勤表", reverse("attendance:team_month", args=[team.pk, today.year, 6]))
            ],
        )
    services.scores_compute(plan=plan)
