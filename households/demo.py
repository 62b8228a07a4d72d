"""Demo households: 30-60 per village with members, visits of every kind, overdue ones,
unpaired poor households and all three warning zones. ``scale="city"`` builds 200,000
households (head-only members) with bulk inserts for benchmarks. Idempotent: villages
that already have households are skipped.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from households.idnumbers import check_digit
from households.models import (
    POOR_STATUSES,
    DiaryEntry,
    Health,
    Household,
    IncomeCheck,
    Member,
    MonitoringCategory,
    Pairing,
    PovertyStatus,
    Relation,
    Visit,
    VisitKind,
    Zone,
    ZoneChange,
)
from teams import policies
from teams.demo import person_name
from teams.models import Membership, Team, Village
from teams.policies import policy_timeline, value_on
from teams.statuses import STATIONED_STATUSES

CITY_HOUSEHOLDS = 200_000
GROUPS = ["一社", "二社", "三社", "四社", "五社", "六社"]
FINDINGS = [
    "家中老人患慢性病，需定期购药",
    "住房安全，饮水正常",
    "子女在外务工，收入稳定",
    "羊群过冬饲草不足",
    "孩子上学交通不便",
    "反映灌溉渠道需要修缮",
    "家庭关系和睦，无矛盾纠纷",
    "因病支出较大，生活困难",
]
HELP = [
    "协调医保报销",
    "联系草料调运",
    "讲解惠民政策",
    "帮助申请临时救助",
    "对接就业岗位信息",
    "代办证照",
    "",
]
DIARY = [
    "召开两委联席会议，研究冬季防火工作。",
    "走访三社，了解牧户饲草储备情况。",
    "协调农牧局专家入村开展养殖技术培训。",
    "组织党员开展主题党日活动。",
]


def seed(*, scale: str = "demo", stdout=None) -> None:
    started = time.perf_counter()
    rng = random.Random(2026)
    today = timezone.localdate()
    if scale == "city":
        # Top every village up to its share of the city, whatever the demo seeded before.
        per_village = -(-CITY_HOUSEHOLDS // Village.objects.count())
        villages = list(
            Village.objects.annotate(n=Count("households"))
            .filter(n__lt=per_village)
            .select_related("township__banner")
            .order_by("pk")
        )
        counts = [per_village - village.n for village in villages]
    else:
        villages = list(
            Village.objects.filter(households__isnull=True)
            .select_related("township__banner")
            .order_by("pk")
        )
        counts = [rng.randint(30, 60) for _ in villages]
    if not villages:
        return
    with transaction.atomic():
        if scale == "city":
            from core.bulk import fast_load

            fast_load()
        ids = _IdNumbers(rng)
        households = _households(villages, counts, rng, ids, today)
        _members(households, rng, ids, full=scale != "city")
        if scale == "city":
            _city_visits(today, stdout)
        else:
            _visits(households, rng, today, full=True)
        _pairings(households, rng, today)
        _zones(households, rng, today)
        if scale != "city":
            _diary(rng, today)
    if stdout:
        stdout.write(
            f"households: {len(households)} households in {len(villages)} villages "
            f"in {time.perf_counter() - started:.1f}s"
        )


class _IdNumbers:
    """Valid, unique GB 11643 ID numbers (region code of the banner, a birth date)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used = set(Member.objects.values_list("id_number", flat=True))
        self.used |= set(Household.objects.values_list("head_id_number", flat=True))

    def make(self, region: str, born: date) -> str:
        while True:
            first17 = f"{region}{born:%Y%m%d}{self.rng.randint(0, 999):03d}"
            number = first17 + check_digit(first17)
            if number not in self.used:
                self.used.add(number)
                return number


def _birth(rng: random.Random, today: date, low: int, high: int) -> date:
    return today - timedelta(days=rng.randint(low * 365, high * 365))


def _households(villages, counts, rng, ids, today) -> list[Household]:
    rows = []
    for village, count in zip(villages, counts):
        region = village.township.banner.code
        for _ in range(count):
            roll = rng.random()
            if roll < 0.12:
                status, category = PovertyStatus.REGISTERED, ""
            elif roll < 0.2:
                status = PovertyStatus.MONITORED
                category = rng.choice(MonitoringCategory.values)
            elif roll < 0.35:
                status, category = PovertyStatus.LIFTED, ""
            else:
                status, category = PovertyStatus.GENERAL, ""
            household = Household(
                village=village,
                head_name=person_name(rng),
                head_id_number=ids.make(region, _birth(rng, today, 30, 85)),
                phone=f"13{rng.randint(100000000, 999999999)}",
                group_name=rng.choice(GROUPS),
                poverty_status=status,
                monitoring_category=category,
                is_dispute=rng.random() < 0.04,
                is_unstable_mood=rng.random() < 0.03,
                is_special_hardship=rng.random() < 0.05,
                is_five_guarantee=rng.random() < 0.03,
                is_disabled=rng.random() < 0.08,
                is_empty_nest=rng.random() < 0.12,
                has_left_behind_children=rng.random() < 0.06,
            )
            household.key_since = today - timedelta(days=400) if household.is_key else None
            household.poor_since = (
                today - timedelta(days=rng.randint(0, 900)) if household.is_poor else None
            )
            rows.append(household)
    return Household.objects.bulk_create(rows, batch_size=2000)


def _members(households, rng, ids, *, full: bool) -> None:
    today = timezone.localdate()
    rows = []
    for household in households:
        region = household.head_id_number[:6]
        rows.append(
            Member(
                household=household,
                name=household.head_name,
                relation=Relation.HEAD,
                id_number=household.head_id_number,
                birth_date=date(
                    int(household.head_id_number[6:10]),
                    int(household.head_id_number[10:12]),
                    int(household.head_id_number[12:14]),
                ),
                health=Health.DISABLED if household.is_disabled else Health.HEALTHY,
            )
        )
        if not full:
            continue
        for relation, low, high in rng.sample(
            [
                (Relation.SPOUSE, 30, 80),
                (Relation.CHILD, 3, 30),
                (Relation.CHILD, 3, 30),
                (Relation.PARENT, 60, 90),
            ],
            rng.randint(0, 3),
        ):
            born = _birth(rng, today, low, high)
            rows.append(
                Member(
                    household=household,
                    name=person_name(rng),
                    relation=relation,
                    id_number=ids.make(region, born),
                    birth_date=born,
                    health=rng.choice([Health.HEALTHY] * 6 + [Health.CHRONIC, Health.SERIOUS]),
                    schooling="在校" if relation == Relation.CHILD and low < 18 else "",
                )
            )
    Member.objects.bulk_create(rows, batch_size=5000)


def _visit_day(rng, start: date, end: date) -> date | None:
    if end < start:
        return None
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _visits(households, rng, today, *, full: bool) -> None:
    """Visits of every kind; about one household in eight left overdue."""
    teams = {
        t.village_id: t
        for t in Team.objects.stationed().filter(term_start__lte=today).order_by("term_start")
    }
    members: dict[int, list[int]] = {}
    for team_id, cadre_id in (
        Membership.objects.current(today)
        .filter(team__in=teams.values())
        .values_list("team_id", "cadre_id")
    ):
        members.setdefault(team_id, []).append(cadre_id)
    year_start = date(today.year, 1, 1)
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    visits: list[Visit] = []
    for household in households:
        team = teams.get(household.village_id)
        if team is None:
            continue
        neglected = rng.random() < 0.12
        days: list[tuple[date, str]] = []
        initial_end = min(team.term_start + timedelta(days=14), today)
        if not neglected and rng.random() < 0.9:
            days.append((_visit_day(rng, team.term_start, initial_end), VisitKind.INITIAL))
        if not neglected:
            since = max(year_start, team.term_start)
            for _ in range(rng.choice([1, 2, 2, 3] if full else [0, 1, 1])):
                day = _visit_day(rng, since, today)
                if day:
                    days.append(
                        (day, rng.choice([VisitKind.ROUTINE] * 4 + [VisitKind.HOME_SERVICE]))
                    )
            if household.is_key and rng.random() < 0.75:
                day = _visit_day(rng, max(quarter_start, team.term_start), today)
                if day:
                    days.append((day, VisitKind.KEY_FOLLOW_UP))
        for day, kind in days:
            if day is None:
                continue
            visits.append(
                Visit(
                    household=household,
                    team=team,
                    date=day,
                    kind=kind,
                    findings=rng.choice(FINDINGS) if full else "",
                    help_given=rng.choice(HELP) if full else "",
                    follow_up_needed=full and rng.random() < 0.15,
                )
            )
    Visit.objects.bulk_create(visits, batch_size=5000)
    Through = Visit.visitors.through
    Through.objects.bulk_create(
        [
            Through(visit_id=visit.pk, cadre_id=rng.choice(members[visit.team_id]))
            for visit in visits
            if members.get(visit.team_id)
        ],
        batch_size=5000,
    )


def _pairings(households, rng, today) -> None:
    """R33: most poor households are paired with a cadre; about one in ten is not."""
    cadres_by_village: dict[int, list[int]] = {}
    for village_id, cadre_id in (
        Membership.objects.current(today)
        .filter(team__status__in=STATIONED_STATUSES)
        .values_list("team__village_id", "cadre_id")
    ):
        cadres_by_village.setdefault(village_id, []).append(cadre_id)
    rows = [
        Pairing(
            household=household,
            cadre_id=rng.choice(cadres_by_village[household.village_id]),
            start_date=household.poor_since or today,
        )
        for household in households
        if household.poverty_status in POOR_STATUSES
        and cadres_by_village.get(household.village_id)
        and rng.random() < 0.9
    ]
    Pairing.objects.bulk_create(rows, batch_size=5000)


def _zones(households, rng, today) -> None:
    """R27: last year's income check for poor, monitored, lifted and some general ones."""
    year = today.year - 1
    on = date(year, 12, 31)
    red_line = value_on(policy_timeline(policies.ZONE_RED_INCOME_BELOW), on)
    yellow_line = value_on(policy_timeline(policies.ZONE_YELLOW_INCOME_BELOW), on)
    checks = []
    for household in households:
        if household.poverty_status == PovertyStatus.GENERAL and rng.random() > 0.1:
            continue
        if household.poverty_status == PovertyStatus.REGISTERED and rng.random() < 0.4:
            income = red_line * Decimal(rng.uniform(0.5, 0.95))
        elif household.poverty_status in (PovertyStatus.REGISTERED, PovertyStatus.MONITORED):
            income = yellow_line * Decimal(rng.uniform(0.7, 1.3))
        else:
            income = yellow_line * Decimal(rng.uniform(1.1, 3.0))
        income = income.quantize(Decimal("1"))
        risk = rng.random() < 0.15
        if income < red_line:
            zone = Zone.RED
        elif income < yellow_line or risk:
            zone = Zone.YELLOW
        else:
            zone = Zone.GREEN
        checks.append(
            IncomeCheck(
                household=household,
                year=year,
                per_capita_income=income,
                risk_illness=risk,
                computed_zone=zone,
            )
        )
    IncomeCheck.objects.bulk_create(checks, batch_size=5000)
    zone_ids: dict[str, list[int]] = {}
    for check in checks:
        zone_ids.setdefault(check.computed_zone, []).append(check.household_id)
    for zone, ids in zone_ids.items():
        for start in range(0, len(ids), 900):
            Household.objects.filter(pk__in=ids[start : start + 900]).update(zone=zone)
    ZoneChange.objects.bulk_create(
        [
            ZoneChange(
                household_id=check.household_id,
                to_zone=check.computed_zone,
                reason=f"{year}年度收入核查：人均纯收入{check.per_capita_income}元",
                income_check=check,
            )
            for check in checks
        ],
        batch_size=5000,
    )


def _diary(rng, today) -> None:
    from teams.demo import demo_team

    team = demo_team()
    if team is None:
        return
    users = list(
        Membership.objects.current(today)
        .filter(team=team, cadre__user__isnull=False)
        .values_list("cadre__user_id", flat=True)
    )
    DiaryEntry.objects.bulk_create(
        [
            DiaryEntry(
                village=team.village,
                team=team,
                author_id=rng.choice(users) if users else None,
                date=today - timedelta(days=days),
                text=text,
            )
            for days, text in zip([1, 4, 9, 15], DIARY)
        ]
    )


HISTORY_DAYS = 730


def _city_visits(today: date, stdout=None) -> None:
    """About four visits a household a year over two years, by the stationed team's
    cadres, about one household in eight neglected this year; generated by PostgreSQL."""
    from core.bulk import fast_load, insert_select, is_postgresql

    if not is_postgresql():
        if stdout:
            stdout.write("households: the two-year visit history needs PostgreSQL; skipped")
        return
    since = today - timedelta(days=HISTORY_DAYS)
    year_start = date(today.year, 1, 1)
    with connection.cursor() as cursor:
        fast_load()
        cursor.execute("SELECT setseed(0.2026)")
        cursor.execute("SELECT coalesce(max(id), 0) FROM households_visit")
        (first_id,) = cursor.fetchone()
        stationed = """
            FROM households_household h
            JOIN teams_team t ON t.village_id = h.village_id
                AND t.status IN ('active', 'handover') AND t.term_start <= %s"""
        # R13: the initial visit, within the first two weeks of the term for most.
        insert_select(
            Visit,
            {
                "household_id": "h.id",
                "team_id": "t.id",
                "date": "t.term_start + (random() * 13)::int",
                "kind": f"'{VisitKind.INITIAL}'",
            },
            stationed + " WHERE random() < 0.9",
            [today],
        )
        # R14/R15: routine visits spread over the term, fewer for the neglected.
        insert_select(
            Visit,
            {
                "household_id": "h.id",
                "team_id": "t.id",
                "date": f"x.start + (x.r * (DATE '{today.isoformat()}' - x.start))::int",
                "kind": f"CASE WHEN x.r2 < 0.2 THEN '{VisitKind.HOME_SERVICE}' "
                f"WHEN x.r2 < 0.35 AND h.poverty_status IN ('registered', 'monitored') "
                f"THEN '{VisitKind.KEY_FOLLOW_UP}' ELSE '{VisitKind.ROUTINE}' END",
            },
            stationed
            + """
            CROSS JOIN LATERAL (SELECT random() + 0 * h.id AS neglect) nh
            CROSS JOIN LATERAL generate_series(1, CASE WHEN nh.neglect < 0.12 THEN 2 ELSE 8 END)
                AS n
            CROSS JOIN LATERAL (
                SELECT greatest(t.term_start, %s::date) AS start,
                       random() + 0 * n AS r, random() + 0 * n AS r2) x
            WHERE x.start < %s""",
            [today, since, today],
        )
        # Neglected households had their visits last year only (R14 overdue this year).
        cursor.execute(
            """UPDATE households_visit SET date = date - 366
            WHERE id > %s AND date >= %s AND kind <> %s
              AND household_id IN (SELECT household_id FROM households_visit WHERE id > %s
                                   GROUP BY household_id HAVING count(*) <= 3)""",
            [first_id, year_start, VisitKind.INITIAL, first_id],
        )
        # Who went: one cadre of the visiting team.
        cursor.execute(
            """INSERT INTO households_visit_visitors (visit_id, cadre_id)
            SELECT v.id, c.ids[1 + floor(random() * array_length(c.ids, 1))::int]
            FROM households_visit v
            JOIN (SELECT team_id, array_agg(cadre_id) AS ids FROM teams_membership
                  WHERE end_date IS NULL GROUP BY team_id) c ON c.team_id = v.team_id
            WHERE v.id > %s""",
            [first_id],
        )
        cursor.execute("SELECT count(*) FROM households_visit WHERE id > %s", [first_id])
        (count,) = cursor.fetchone()
    if stdout:
        stdout.write(f"households: {count} visits over two years")
