"""Demo attendance: three months of days and check-ins for the demo team, leave in every
state and monthly sheets in every state. Idempotent: a second run finds them and stops."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from attendance import services
from attendance.models import (
    ApproverBody,
    AttendanceDay,
    AttendanceSheet,
    CheckIn,
    CheckInFlag,
    DaySource,
    DayStatus,
    LeaveKind,
    LeaveRequest,
    LeaveStatus,
    SheetAction,
    SheetEvent,
    SheetStatus,
)
from core import periods
from teams.models import Team, TeamStatus

MONTHS_BACK = 3


def seed(*, scale: str = "demo", stdout=None) -> None:
    from teams.demo import demo_team

    if scale == "city":
        seed_city_history(today=timezone.localdate(), stdout=stdout)
    team = demo_team()
    if team is None or AttendanceSheet.objects.filter(team=team).exists():
        return
    users = {u.username: u for u in User.objects.filter(username__in=_LOGINS)}
    if len(users) < len(_LOGINS):
        return  # the city scale builds no demo logins; nothing to show attendance to
    with transaction.atomic():
        rng = random.Random(2018)
        today = timezone.localdate()
        current = periods.month_start(today)
        months = [current]
        for _ in range(MONTHS_BACK):
            months.insert(0, periods.previous_month(months[0]))
        others = list(
            Team.objects.filter(status=TeamStatus.ACTIVE, supervision_group=team.supervision_group)
            .exclude(pk=team.pk)
            .order_by("pk")[:2]
        )
        _days_and_checkins(team, months, today, rng, weak_cadre_index=3)
        for other in others:
            _days_and_checkins(other, months[-2:-1], today, rng, weak_cadre_index=None)
        _sheets(team, others, months, users)
        _leave(users, today)
        _payment(team, months[0])
    if stdout:
        stdout.write(
            f"attendance: {AttendanceDay.objects.count()} days, "
            f"{LeaveRequest.objects.count()} leave requests, "
            f"{AttendanceSheet.objects.count()} sheets"
        )


_LOGINS = ["office", "supervisor", "village", "township", "leader", "member", "member2", "member3"]


def _days_and_checkins(team, months, today, rng, weak_cadre_index):
    village = team.village
    days, checkins = [], []
    for month in months:
        rows = services.cadres_in_month(team, month)
        for index, (membership, first, last) in enumerate(rows):
            day = first
            while day <= min(last, today - timedelta(days=1)):
                roll = rng.random()
                weak = index == weak_cadre_index and month != months[-1]
                sunday_off = day.weekday() == 6 and roll < (0.9 if weak else 0.6)
                if sunday_off or (weak and roll < 0.35):
                    status = DayStatus.REST
                elif roll < 0.08:
                    status = DayStatus.OFFICIAL
                elif roll < 0.1:
                    status = DayStatus.ABSENT
                else:
                    status = DayStatus.IN_VILLAGE
                days.append(
                    AttendanceDay(
                        cadre_id=membership.cadre_id,
                        team=team,
                        date=day,
                        status=status,
                        source=DaySource.LEADER,
                    )
                )
                if status == DayStatus.IN_VILLAGE and rng.random() < 0.7:
                    checkins.append(_checkin(membership.cadre_id, team, village, day, rng))
                day += timedelta(days=1)
    AttendanceDay.objects.bulk_create(days, batch_size=1000, ignore_conflicts=True)
    CheckIn.objects.bulk_create(checkins, batch_size=1000, ignore_conflicts=True)


def _checkin(cadre_id, team, village, day, rng):
    at = timezone.make_aware(datetime.combine(day, time(8, rng.randint(0, 59))))
    roll = rng.random()
    if roll < 0.05 or village.latitude is None:
        return CheckIn(cadre_id=cadre_id, team=team, date=day, at=at, flag=CheckInFlag.NO_LOCATION)
    spread = 0.3 if roll < 0.1 else 0.005
    latitude = Decimal(str(round(float(village.latitude) + rng.uniform(-spread, spread), 6)))
    longitude = Decimal(str(round(float(village.longitude) + rng.uniform(-spread, spread), 6)))
    distance = services.distance_m(
        float(latitude), float(longitude), float(village.latitude), float(village.longitude)
    )
    return CheckIn(
        cadre_id=cadre_id,
        team=team,
        date=day,
        at=at,
        latitude=latitude,
        longitude=longitude,
        accuracy_m=rng.choice([8, 15, 30, 65]),
        distance_m=distance,
        flag=CheckInFlag.OUTSIDE if distance > village.checkin_radius_m else CheckInFlag.NONE,
    )


def _sheets(team, others, months, users):
    """Demo team: locked, issued, submitted, draft; other teams: confirmed and reopened."""
    now = timezone.now()
    leader, supervisor = users["leader"], users["supervisor"]
    village_head, township_head, office = users["village"], users["township"], users["office"]
    full = [
        (SheetAction.CREATE, leader, ""),
        (SheetAction.SUBMIT, leader, ""),
        (SheetAction.CONFIRM_VILLAGE, village_head, ""),
        (SheetAction.CONFIRM_TOWNSHIP, township_head, ""),
        (SheetAction.ISSUE, supervisor, ""),
    ]
    plan = [
        (team, months[0], SheetStatus.LOCKED, [*full, (SheetAction.LOCK, office, "")]),
        (team, months[1], SheetStatus.ISSUED, full),
        (team, months[2], SheetStatus.SUBMITTED, full[:2]),
        (team, months[3], SheetStatus.DRAFT, full[:1]),
    ]
    if others:
        plan.append(
            (
                others[0],
                months[2],
                SheetStatus.CONFIRMED,
                [*full[:2], (SheetAction.UPLOAD_SCAN, None, "signed-sheet.pdf")],
            )
        )
    if len(others) > 1:
        plan.append(
            (
                others[1],
                months[2],
                SheetStatus.REOPENED,
                [
                    *full[:2],
                    (SheetAction.UPLOAD_SCAN, None, "signed-sheet.pdf"),
                    (SheetAction.ISSUE, supervisor, ""),
                    (SheetAction.REOPEN, supervisor, "队员出差3天漏记为缺勤，需更正"),
                ],
            )
        )
    events = []
    for sheet_team, month, status, history in plan:
        actions = {action for action, _user, _comment in history}
        submitted = SheetAction.SUBMIT in actions and status != SheetStatus.REOPENED
        confirmed = status in (SheetStatus.CONFIRMED, SheetStatus.ISSUED, SheetStatus.LOCKED)
        sheet = AttendanceSheet(
            team=sheet_team,
            month=month,
            status=status,
            submitted_by=leader if submitted and sheet_team == team else None,
            submitted_at=now if submitted else None,
            village_confirmed_by=village_head if confirmed and sheet_team == team else None,
            village_confirmed_at=now if confirmed else None,
            township_confirmed_by=township_head if confirmed and sheet_team == team else None,
            township_confirmed_at=now if confirmed else None,
            issued_by=supervisor if status in (SheetStatus.ISSUED, SheetStatus.LOCKED) else None,
            issued_at=now if status in (SheetStatus.ISSUED, SheetStatus.LOCKED) else None,
            locked_at=now if status == SheetStatus.LOCKED else None,
        )
        if SheetAction.UPLOAD_SCAN in actions and status != SheetStatus.REOPENED:
            sheet.signed_scan.save(
                "signed-sheet.pdf", ContentFile(b"%PDF-1.4\n% demo signed sheet\n"), save=False
            )
        sheet.save()
        events += [
            SheetEvent(sheet=sheet, action=action, actor=user, comment=comment)
            for action, user, comment in history
        ]
    SheetEvent.objects.bulk_create(events)


def _leave(users, today: date) -> None:
    """Leave in every state, through the services so each step's history is real."""
    leader, member, member2, member3 = (
        users["leader"],
        users["member"],
        users["member2"],
        users["member3"],
    )
    supervisor = users["supervisor"]

    def ask(user, start, days, **kwargs):
        whole = int(Decimal(days).to_integral_value(rounding="ROUND_CEILING"))
        return services.leave_request_create(
            user=user,
            kind=kwargs.pop("kind", LeaveKind.PERSONAL),
            start_date=start,
            end_date=start + timedelta(days=whole - 1),
            end_half=Decimal(days) != whole,
            reason=kwargs.pop("reason", "家中有事需处理"),
            village_informed=True,
            **kwargs,
        )

    def decide(leave, user, approve=True, comment="同意"):
        return services.leave_request_decide(
            leave=leave, user=user, approve=approve, comment=comment
        )

    d = timedelta
    # Draft, pending at each tier (one overdue), approved, rejected, withdrawn.
    ask(member, today + d(days=20), "1", submit=False, reason="孩子家长会")
    overdue = ask(member, today + d(days=10), "1", reason="陪同家人就医")
    LeaveRequest.objects.filter(pk=overdue.pk).update(step_started_at=timezone.now() - d(days=3))
    ask(member2, today + d(days=12), "2", reason="参加亲属婚礼")
    ask(member3, today + d(days=15), "5", kind=LeaveKind.SICK, reason="手术后休养")
    ask(leader, today + d(days=25), "1.5", reason="回原单位办理手续")
    decide(ask(member, today + d(days=30), "2", reason="搬家"), supervisor)
    decide(
        ask(member2, today + d(days=40), "1", reason="私事"), leader, False, "当日有入户走访安排"
    )
    services.leave_request_withdraw(
        leave=ask(member3, today + d(days=50), "1", reason="私事"), user=member3
    )
    # Returned early; and an extension at the tier of the new total, then returned.
    returned = decide(ask(member2, today - d(days=8), "3", kind=LeaveKind.SICK), supervisor)
    services.leave_return_report(
        leave=returned, user=member2, actual_end_date=today - d(days=7), comment="提前返岗"
    )
    first = decide(ask(member3, today - d(days=4), "1", reason="家人住院"), leader)
    extension = services.leave_extension_request(
        leave=first, user=member3, end_date=today - d(days=2), reason="家人病情需要继续陪护"
    )
    extension = decide(extension, supervisor)
    services.leave_return_report(
        leave=extension, user=member3, actual_end_date=today - d(days=2), comment="已返村"
    )


def _payment(team, month) -> None:
    """R34: the unit recorded paying the locked sheet (the issued one is still to pay)."""
    from attendance.selectors import team_month

    contact = team.unit.contacts.first()
    sheet = AttendanceSheet.objects.get(team=team, month=month)
    if contact is None:
        return
    amount = team_month(user=contact, team_id=team.pk, month=month).total_allowance
    services.allowance_payment_record(
        sheet=sheet,
        user=contact,
        paid_on=periods.month_end(month) + timedelta(days=10),
        amount=amount,
    )


# ------------------------------------------------------------------ city scale, two years

HISTORY_DAYS = 730


def seed_city_history(*, today: date, stdout=None) -> None:
    """Two years of days, check-ins, leave in every state and sheets in every state for
    every stationed team, generated by PostgreSQL in a few statements (``make bench``).
    Idempotent: a second run finds last year's days and stops."""
    from core.bulk import fast_load, insert_select, is_postgresql

    if not is_postgresql():
        if stdout:
            stdout.write("attendance: the two-year city history needs PostgreSQL; skipped")
        return
    since = today - timedelta(days=HISTORY_DAYS)
    if AttendanceDay.objects.filter(date__lt=today - timedelta(days=400)).exists():
        return
    yesterday = today - timedelta(days=1)
    with transaction.atomic(), connection.cursor() as cursor:
        fast_load()
        cursor.execute("SELECT setseed(0.2018)")
        span = """
            FROM teams_membership m
            JOIN teams_team t ON t.id = m.team_id AND t.status IN ('active', 'handover')
            CROSS JOIN LATERAL generate_series(
                greatest(m.start_date, t.term_start, %s::date),
                least(coalesce(m.end_date, %s::date), t.term_end, %s::date),
                interval '1 day') AS g(d)
            CROSS JOIN LATERAL (SELECT random() + 0 * extract(day FROM g.d) AS r) x
            ON CONFLICT DO NOTHING"""
        days = insert_select(
            AttendanceDay,
            {
                "cadre_id": "m.cadre_id",
                "team_id": "m.team_id",
                "date": "g.d::date",
                "status": f"""CASE
                    WHEN extract(isodow FROM g.d) = 7 AND x.r < 0.6 THEN '{DayStatus.REST}'
                    WHEN x.r < 0.08 THEN '{DayStatus.OFFICIAL}'
                    WHEN x.r < 0.10 THEN '{DayStatus.ABSENT}'
                    WHEN x.r < 0.13 THEN '{DayStatus.REST}'
                    ELSE '{DayStatus.IN_VILLAGE}' END""",
                "source": f"'{DaySource.LEADER}'",
            },
            span,
            [since, yesterday, yesterday],
        )
        leaves = _city_leave(cursor, since=since, today=today)
        checkins = insert_select(
            CheckIn,
            {
                "cadre_id": "a.cadre_id",
                "team_id": "a.team_id",
                "date": "a.date",
                "at": "(a.date + time '08:00' + x.r * interval '50 minutes') "
                "AT TIME ZONE 'Asia/Shanghai'",
                "latitude": "CASE WHEN x.r < 0.05 THEN NULL "
                "ELSE round((v.latitude + (x.r - 0.5) * 0.01)::numeric, 6) END",
                "longitude": "CASE WHEN x.r < 0.05 THEN NULL "
                "ELSE round((v.longitude + (x.r - 0.5) * 0.01)::numeric, 6) END",
                "accuracy_m": "CASE WHEN x.r < 0.05 THEN NULL ELSE 15 END",
                "distance_m": "CASE WHEN x.r < 0.05 THEN NULL "
                "ELSE round(abs(x.r - 0.5) * 800)::int END",
                "flag": f"""CASE WHEN x.r < 0.05 THEN '{CheckInFlag.NO_LOCATION}'
                    WHEN abs(x.r - 0.5) * 800 > v.checkin_radius_m THEN '{CheckInFlag.OUTSIDE}'
                    ELSE '{CheckInFlag.NONE}' END""",
            },
            f"""FROM attendance_attendanceday a
            JOIN teams_team t ON t.id = a.team_id
            JOIN teams_village v ON v.id = t.village_id
            CROSS JOIN LATERAL (SELECT random() + 0 * a.id AS r) x
            WHERE a.status = '{DayStatus.IN_VILLAGE}' AND a.date >= %s AND x.r < 0.7
            ON CONFLICT DO NOTHING""",
            [since],
        )
        sheets = _city_sheets(cursor, since=since, today=today)
    if stdout:
        stdout.write(
            f"attendance: {days} days, {checkins} check-ins, {leaves} leave requests, "
            f"{sheets} sheets over two years"
        )


def _city_leave(cursor, *, since: date, today: date) -> int:
    """About four leave requests a cadre a year, in every state; approved and returned
    leave marks its days (R21, R22)."""
    from core.bulk import insert_select

    now = f"DATE '{today.isoformat()}'"
    past = f"""CASE
        WHEN x.r < 0.55 THEN '{LeaveStatus.APPROVED}'
        WHEN x.r < 0.80 THEN '{LeaveStatus.RETURNED}'
        WHEN x.r < 0.90 THEN '{LeaveStatus.REJECTED}'
        ELSE '{LeaveStatus.WITHDRAWN}' END"""
    future = f"""CASE
        WHEN x.r < 0.3 THEN '{LeaveStatus.DRAFT}'
        WHEN x.r < 0.8 THEN '{LeaveStatus.PENDING}'
        ELSE '{LeaveStatus.APPROVED}' END"""
    count = insert_select(
        LeaveRequest,
        {
            "cadre_id": "m.cadre_id",
            "team_id": "m.team_id",
            "requester_role": "m.role",
            "kind": f"CASE WHEN x.r < 0.3 THEN '{LeaveKind.SICK}' ELSE '{LeaveKind.PERSONAL}' END",
            "start_date": "x.start",
            "end_date": "x.start + x.len - 1",
            "days": "x.len",
            "reason": "'家中有事需处理'",
            "village_informed": "true",
            "status": f"CASE WHEN x.start < {now} THEN {past} ELSE {future} END",
            "chain": "'leader,supervision_group'",
            "pending_with": f"CASE WHEN x.start >= {now} AND x.r >= 0.3 AND x.r < 0.8 "
            f"THEN '{ApproverBody.SUPERVISION_GROUP}' ELSE '' END",
            "submitted_at": f"CASE WHEN x.start >= {now} AND x.r < 0.3 THEN NULL "
            "ELSE x.start - interval '5 days' END",
            "decided_at": f"CASE WHEN x.start < {now} OR x.r >= 0.8 "
            "THEN x.start - interval '3 days' END",
            "step_started_at": "x.start - interval '5 days'",
            "tier_days": "x.len",
            "actual_end_date": f"CASE WHEN x.start < {now} AND x.r >= 0.55 AND x.r < 0.80 "
            "THEN x.start + x.len - 1 END",
            "returned_at": f"CASE WHEN x.start < {now} AND x.r >= 0.55 AND x.r < 0.80 "
            "THEN x.start + x.len END",
        },
        """FROM teams_membership m
        JOIN teams_team t ON t.id = m.team_id AND t.status IN ('active', 'handover')
        CROSS JOIN generate_series(1, 8) AS n
        CROSS JOIN LATERAL (
            SELECT r, (greatest(t.term_start, %s::date)
                       + (r2 * (%s::date + 60 - greatest(t.term_start, %s::date)))::int) AS start,
                   1 + mod((r2 * 1000)::int, 4) AS len
            FROM (SELECT random() + 0 * n AS r, random() + 0 * m.id AS r2) rr
        ) x
        WHERE m.end_date IS NULL""",
        [since, today, since],
    )
    # Approved and returned leave marks its (past) days.
    cursor.execute(
        f"""UPDATE attendance_attendanceday a
        SET status = CASE WHEN l.kind = '{LeaveKind.SICK}' THEN '{DayStatus.LEAVE_SICK}'
                          ELSE '{DayStatus.LEAVE_PERSONAL}' END,
            source = '{DaySource.LEAVE}', leave_id = l.id
        FROM attendance_leaverequest l
        WHERE l.cadre_id = a.cadre_id AND a.date BETWEEN l.start_date AND l.end_date
          AND l.status IN ('{LeaveStatus.APPROVED}', '{LeaveStatus.RETURNED}')
          AND l.start_date >= %s""",
        [since],
    )
    return count


def _city_sheets(cursor, *, since: date, today: date) -> int:
    """Every team's month sheets: old months locked, the month before last issued, last
    month in every state, this month a draft (R34)."""
    from core.bulk import insert_select

    current = periods.month_start(today)
    last = periods.previous_month(current)
    before_last = periods.previous_month(last)
    month = "g.m::date"
    status = f"""CASE
        WHEN g.m::date = DATE '{current.isoformat()}' THEN '{SheetStatus.DRAFT}'
        WHEN g.m::date < DATE '{before_last.isoformat()}' THEN '{SheetStatus.LOCKED}'
        WHEN g.m::date = DATE '{before_last.isoformat()}' THEN '{SheetStatus.ISSUED}'
        WHEN x.r < 0.2 THEN '{SheetStatus.DRAFT}'
        WHEN x.r < 0.4 THEN '{SheetStatus.SUBMITTED}'
        WHEN x.r < 0.7 THEN '{SheetStatus.CONFIRMED}'
        WHEN x.r < 0.95 THEN '{SheetStatus.ISSUED}'
        ELSE '{SheetStatus.REOPENED}' END"""
    done = "(g.m + interval '1 month' + interval '3 days')"
    step = f"CASE WHEN g.m::date < DATE '{last.isoformat()}' OR x.r >= {{low}} THEN {done} END"
    return insert_select(
        AttendanceSheet,
        {
            "team_id": "t.id",
            "month": month,
            "status": status,
            "submitted_at": step.format(low=0.2),
            "village_confirmed_at": step.format(low=0.4),
            "township_confirmed_at": step.format(low=0.4),
            "issued_at": step.format(low=0.7),
            "locked_at": f"CASE WHEN g.m::date < DATE '{before_last.isoformat()}' THEN {done} END",
        },
        """FROM teams_team t
        CROSS JOIN LATERAL generate_series(
            date_trunc('month', greatest(t.term_start, %s::date)), %s::date,
            interval '1 month') AS g(m)
        CROSS JOIN LATERAL (SELECT random() + 0 * t.id AS r) x
        WHERE t.status IN ('active', 'handover')
        ON CONFLICT DO NOTHING""",
        [since, current],
    )
