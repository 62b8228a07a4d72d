"""Demo data for the reports app: a ledger of every kind for the demo team, reports on time,
late and returned, feedback, unread notifications, and for every other team a plausible
history. Idempotent: a second run finds the demo team's ledger and adds nothing."""

from __future__ import annotations

import base64
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from core.notifications import notify
from core.periods import MONTH, QUARTER, period_containing
from reports.models import (
    Attachment,
    CaseStatus,
    Errand,
    ErrandStatus,
    Feedback,
    FeedbackCategory,
    FeedbackStatus,
    LedgerKind,
    LedgerRecord,
    MeetingKind,
    PartyActivity,
    Report,
    ReportEvent,
    ReportKind,
    ReportStatus,
    TrainingTopic,
)
from reports.services import appendix_compute, reports_ensure
from teams.models import Membership, MembershipRole, Team

# A 1x1 PNG, so that the demo's study session shows a photo without shipping a file.
PHOTO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def seed(*, scale: str = "demo", stdout=None) -> None:
    from teams.demo import demo_team

    team = demo_team()
    today = timezone.localdate()
    if scale == "city":
        _city_history(today=today, skip=team, stdout=stdout)
    if team is None or LedgerRecord.objects.filter(team=team).exists():
        return
    with transaction.atomic():
        teams = list(Team.objects.stationed().order_by("pk"))
        reports_ensure(teams=teams, on=today)
        _history(teams=[t for t in teams if t.pk != team.pk], today=today)
        _city_ledger(teams=[t for t in teams if t.pk != team.pk], today=today)
        if scale == "demo":
            _demo_team(team, today)
            _demo_schedule()
    if stdout:
        stdout.write(
            f"reports: {LedgerRecord.objects.count()} ledger records, "
            f"{Report.objects.count()} reports"
        )


def _history(*, teams, today: date) -> None:
    """Other teams: past reports accepted on time, except every seventh team's last
    quarterly report, which is still open after its deadline (the office sees them late)."""
    reports = list(
        Report.objects.filter(team__in=teams, deadline__lt=today).order_by("team_id", "deadline")
    )
    last_quarterly = {}
    for report in reports:
        if report.kind == ReportKind.QUARTERLY:
            last_quarterly[report.team_id] = report.pk
    late = {pk for team_id, pk in last_quarterly.items() if team_id % 7 == 0}
    updates = []
    for report in reports:
        if report.pk in late:
            continue
        report.status = ReportStatus.ACCEPTED
        report.narrative = "按季度完成各项工作任务，详见附表。"
        report.submitted_at = timezone.make_aware(
            datetime.combine(report.deadline - timedelta(days=2), time(10))
        )
        updates.append(report)
    Report.objects.bulk_update(updates, ["status", "narrative", "submitted_at"], batch_size=1000)


def _city_ledger(*, teams, today: date) -> None:
    """Study sessions and service days this month for most teams, so compliance varies."""
    rng = random.Random(5)
    month = period_containing(MONTH, today)
    rows = []
    for team in teams:
        for index in range(rng.choice([0, 1, 2, 2, 3])):
            rows.append(
                LedgerRecord(
                    team=team,
                    kind=LedgerKind.STUDY,
                    date=min(today, month.start + timedelta(days=3 + index * 9)),
                    title="集体学习",
                    text="学习政策文件并讨论落实措施。",
                )
            )
        for offset in range(0, (today - month.start).days + 1, 7):
            if rng.random() < 0.85:
                rows.append(
                    LedgerRecord(
                        team=team,
                        kind=LedgerKind.SERVICE_DAY,
                        date=month.start + timedelta(days=offset),
                        title="固定服务日",
                    )
                )
    LedgerRecord.objects.bulk_create(rows, batch_size=2000)


def _demo_team(team: Team, today: date) -> None:
    leader_user = User.objects.filter(username="leader").first()
    member_user = User.objects.filter(username="member").first()
    memberships = list(
        Membership.objects.current(today).filter(team=team).select_related("cadre").order_by("pk")
    )
    cadres = [m.cadre for m in memberships]
    leader_cadre = next(m.cadre for m in memberships if m.role == MembershipRole.LEADER)
    quarter = period_containing(QUARTER, today)
    previous = quarter.previous()
    month = period_containing(MONTH, today)

    def record(kind, day, title, **fields):
        participants = fields.pop("participants", [])
        row = LedgerRecord.objects.create(
            team=team, kind=kind, date=day, title=title, created_by=leader_user, **fields
        )
        if participants:
            row.participants.set(participants)
        return row

    # R10: two study sessions in each recent month; only one so far this month.
    for start in (previous.start, previous.start.replace(month=previous.start.month + 1)):
        for day in (5, 19):
            record(
                LedgerKind.STUDY,
                start.replace(day=day),
                "集体学习《乡村振兴促进法》",
                text="学习笔记：乡村振兴促进法第二章产业发展要点。",
                participants=cadres,
            )
    study = record(
        LedgerKind.STUDY,
        month.start + timedelta(days=min(4, (today - month.start).days)),
        "学习中央一号文件",
        text="学习笔记：中央一号文件关于防止规模性返贫的要求。",
        participants=cadres,
    )
    attachment = Attachment(record=study, name="学习现场.png", is_image=True)
    attachment.file.save("study.png", ContentFile(PHOTO), save=False)
    attachment.uploaded_by = leader_user
    attachment.save()
    # R11, R12 with errands, R26, R16, R24, R29, R30, R41, R40, R36, R25, diary.
    record(
        LedgerKind.MEETING,
        previous.start + timedelta(days=12),
        "与嘎查村两委联席会议",
        meeting_kind=MeetingKind.JOINT,
        participants=cadres,
        other_participants="嘎查村两委成员",
        participant_count=11,
    )
    service_day = None
    for offset in range(0, (today - previous.start).days, 7):
        service_day = record(
            LedgerKind.SERVICE_DAY,
            previous.start + timedelta(days=offset),
            "固定服务日：政策咨询和代办",
            participants=cadres[:2],
            participant_count=15,
        )
    Errand.objects.create(
        team=team,
        service_day=service_day,
        requester="其其格",
        description="代办新农合医疗报销",
        accepted_on=service_day.date,
    )
    Errand.objects.create(
        team=team,
        service_day=service_day,
        requester="王桂兰",
        description="协助办理残疾证",
        accepted_on=service_day.date - timedelta(days=14),
        status=ErrandStatus.DONE,
        done_on=service_day.date - timedelta(days=3),
        result="已办结，证件送达",
    )
    record(
        LedgerKind.TRAINING,
        previous.start + timedelta(days=20),
        "牧区法律知识培训",
        training_topic=TrainingTopic.LAW,
        participant_count=46,
        participants=cadres[:2],
    )
    record(
        LedgerKind.DIARY,
        today - timedelta(days=1),
        "民情日记：入户走访记事",
        text="走访三户重点户，了解冬季取暖情况。",
    )
    record(
        LedgerKind.RESEARCH,
        previous.start + timedelta(days=40),
        "关于嘎查村集体经济发展的调研报告",
        cadre=leader_cadre,
        text="调研了嘎查村集体经济现状与发展路径。",
    )
    record(
        LedgerKind.COORDINATION,
        previous.start + timedelta(days=30),
        "争取农村饮水安全巩固提升项目",
        project_name="饮水安全巩固提升",
        amount=Decimal("380000.00"),
        funding_source="市水利局专项资金",
    )
    record(
        LedgerKind.COLLECTIVE,
        date(today.year, 3, 15),
        "嘎查村光伏电站入股分红",
        project_name="光伏电站入股",
        amount=Decimal("120000.00"),
        is_stable_income=True,
    )
    record(
        LedgerKind.PRACTICAL,
        date(today.year, 6, 10),
        "村内道路硬化",
        project_name="村内道路硬化",
        households_benefiting=168,
        village_households=200,
        amount=Decimal("650000.00"),
    )
    record(
        LedgerKind.DISPUTE,
        today - timedelta(days=20),
        "草场边界纠纷调解",
        other_participants="巴图、孟和两户",
        case_status=CaseStatus.MEDIATING,
    )
    record(
        LedgerKind.DISPUTE,
        previous.start + timedelta(days=5),
        "宅基地纠纷调解",
        other_participants="张、李两户",
        case_status=CaseStatus.RESOLVED,
        resolved_on=previous.start + timedelta(days=18),
    )
    record(
        LedgerKind.PARTY,
        previous.start + timedelta(days=25),
        "主题党日暨三会一课",
        party_activity=PartyActivity.THREE_ONE,
        participant_count=23,
        participants=cadres,
    )
    record(
        LedgerKind.TALK,
        previous.start + timedelta(days=33),
        "派出单位领导谈心谈话",
        cadre=cadres[-1],
        other_participants="派出单位党组书记",
    )
    record(
        LedgerKind.DISCIPLINE,
        previous.start + timedelta(days=50),
        "十不准执行情况自查",
        cadre=leader_cadre,
        text="自查未发现违反十不准情况。",
    )

    # R18: confidential leads (misconduct; a clan lead handled with its history), one good
    # practice.
    if member_user:
        Feedback.objects.create(
            team=team,
            sender=member_user,
            category=FeedbackCategory.MISCONDUCT,
            subject="村干部优亲厚友线索",
            text="反映嘎查村某干部在低保评定中优亲厚友，具体情况如下。",
        )
        clan = Feedback.objects.create(
            team=team,
            sender=member_user,
            category=FeedbackCategory.GANGS,
            subject="宗族势力干预换届线索",
            text="反映某姓宗族在换届前串联、威胁村民，具体情况如下。",
        )
        office_user = User.objects.filter(username="office").first()
        if office_user:
            from reports.services import feedback_update

            feedback_update(user=office_user, feedback=clan, status=FeedbackStatus.RECEIVED)
            feedback_update(
                user=office_user,
                feedback=clan,
                status=FeedbackStatus.HANDLED,
                office_note="已移交旗区纪委监委核查。",
            )
    if leader_user:
        good = Feedback.objects.create(
            team=team,
            sender=leader_user,
            category=FeedbackCategory.GOOD_PRACTICE,
            subject="“牧民议事厅”做法",
            text="每月固定议事日，牧民当面提事、当场答复。",
            status=FeedbackStatus.RECEIVED,
        )
        notify(
            users=User.objects.filter(username="office"),
            key=f"feedback:{good.pk}",
            title=f"新的反映：{team.name}",
            body=str(FeedbackCategory.GOOD_PRACTICE.label),
            url=good.get_absolute_url(),
        )

    _demo_reports(team, today, leader_user)


def _demo_reports(team: Team, today: date, leader_user) -> None:
    """On time, late, returned, accepted and draft reports for the demo team."""
    office = User.objects.filter(username="office").first()
    reports = list(Report.objects.filter(team=team, deadline__lt=today).order_by("period_start"))
    quarterly = [r for r in reports if r.kind == ReportKind.QUARTERLY]
    latest_quarterly = quarterly[-1] if quarterly else None
    returned = quarterly[-2] if len(quarterly) > 1 else None
    late_submitted = quarterly[-3] if len(quarterly) > 2 else None
    for report in reports:
        if report is latest_quarterly:
            continue  # still a draft after its deadline: late, and the beat will say so
        report.narrative = "本期围绕抓党建促脱贫攻坚、强产业增收入等方面开展工作，详见附表。"
        report.appendix = appendix_compute(
            team=team, start=report.period_start, end=report.period_end
        )
        submitted_on = report.deadline + timedelta(days=4 if report is late_submitted else -2)
        report.submitted_at = timezone.make_aware(datetime.combine(submitted_on, time(16)))
        report.submitted_by = leader_user
        report.status = ReportStatus.ACCEPTED
        if report is returned:
            report.status = ReportStatus.RETURNED
            report.review_comment = "请补充入户走访覆盖情况和集体经济收益数据。"
            report.reviewed_by = office
            report.reviewed_at = report.submitted_at + timedelta(days=2)
            report.submitted_at = None
        report.save()
        ReportEvent.objects.create(report=report, action=ReportStatus.SUBMITTED, actor=leader_user)
        if report is returned:
            ReportEvent.objects.create(
                report=report,
                action=ReportStatus.RETURNED,
                actor=office,
                comment=report.review_comment,
            )
            notify(
                users=[leader_user] if leader_user else [],
                key=f"report-returned:{report.pk}:demo",
                title=f"报告被退回修改：{report.period_label}",
                body=report.review_comment,
                url=report.get_absolute_url(),
            )
        else:
            ReportEvent.objects.create(report=report, action=ReportStatus.ACCEPTED, actor=office)
    # A submitted half-year summary waiting for the office.
    half = (
        Report.objects.filter(team=team, kind=ReportKind.HALF_YEAR, status=ReportStatus.ACCEPTED)
        .order_by("-period_start")
        .first()
    )
    if half:
        half.status = ReportStatus.SUBMITTED
        half.save(update_fields=["status"])
        notify(
            users=[office] if office else [],
            key=f"report-submitted:{half.pk}:demo",
            title=f"{team.name}提交了半年总结",
            body=half.period_label,
            url=half.get_absolute_url(),
        )


DEMO_TASKS = [
    ("演示：每分钟检查报告截止 (demo)", "reports.tasks.remind_report_deadlines"),
    ("演示：每分钟检查任期与保险 (demo)", "reports.tasks.remind_terms_and_insurance"),
]


def _demo_schedule() -> None:
    """Demo only: run the reminders every minute, so that `make run` shows them arriving
    in the bell within a minute (the production schedule runs them daily)."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every_minute, _ = IntervalSchedule.objects.get_or_create(
        every=1, period=IntervalSchedule.MINUTES
    )
    for name, task in DEMO_TASKS:
        PeriodicTask.objects.get_or_create(
            name=name,
            defaults={"task": task, "interval": every_minute, "description": "demo"},
        )


HISTORY_DAYS = 730
# (kind, title, how many a month on average): R10 study twice a month, R12 weekly
# service days, R11 a monthly meeting and the rarer records.
CITY_LEDGER = [
    (LedgerKind.STUDY, "集体学习", 2.0),
    (LedgerKind.SERVICE_DAY, "固定服务日", 4.0),
    (LedgerKind.MEETING, "与嘎查村两委联席会议", 1.0),
    (LedgerKind.DIARY, "民情日记", 2.0),
    (LedgerKind.PARTY, "主题党日", 1.0),
    (LedgerKind.TRAINING, "农牧民技能培训", 0.3),
    (LedgerKind.DISPUTE, "矛盾纠纷调解", 0.3),
    (LedgerKind.COORDINATION, "争取项目资金", 0.2),
    (LedgerKind.TALK, "谈心谈话", 0.3),
]


def _city_history(*, today: date, skip: Team | None, stdout=None) -> None:
    """Two years of ledger records for every stationed team, and past reports accepted
    (all but every seventh team's last quarterly report); generated by PostgreSQL."""
    from core.bulk import fast_load, insert_select, is_postgresql

    if not is_postgresql():
        if stdout:
            stdout.write("reports: the two-year city ledger needs PostgreSQL; skipped")
        return
    since = today - timedelta(days=HISTORY_DAYS)
    if LedgerRecord.objects.filter(date__lt=today - timedelta(days=400)).exists():
        return
    teams = list(Team.objects.stationed().order_by("pk"))
    with transaction.atomic(), connection.cursor() as cursor:
        fast_load()
        reports_ensure(teams=teams, on=today)
        # The demo team's reports tell their own story (_demo_reports).
        _history(teams=[t for t in teams if skip is None or t.pk != skip.pk], today=today)
        cursor.execute("SELECT setseed(0.5)")
        total = 0
        for kind, title, per_month in CITY_LEDGER:
            total += insert_select(
                LedgerRecord,
                {
                    "team_id": "t.id",
                    "kind": f"'{kind}'",
                    "date": "g.d::date",
                    "title": f"'{title}'",
                    "participant_count": "5 + (random() * 30)::int",
                },
                """FROM teams_team t
                CROSS JOIN LATERAL generate_series(
                    greatest(t.term_start, %s::date), %s::date, interval '1 day') AS g(d)
                WHERE t.status IN ('active', 'handover') AND random() < %s""",
                [since, today, per_month / 30.4],
            )
    if stdout:
        stdout.write(f"reports: {total} ledger records over two years")
