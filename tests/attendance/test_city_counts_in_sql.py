"""R20/R34 city-wide pages count days in the database (one row a cadre): the counts equal
the day-by-day computation of the month grid, across policy changes mid-month (R34's
paid-status policy included: the allowance pays only the statuses it names)."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from attendance import selectors
from attendance.models import AttendanceDay, AttendanceSheet, CheckIn, DaySource, DayStatus
from teams.models import Policy
from tests import factories

pytestmark = pytest.mark.django_db

MONTH = date(2026, 10, 1)


@pytest.mark.parametrize("seed", [1, 2])
def test_compliance_and_allowance_equal_the_day_by_day_computation(seed, team, other_team):
    rng = random.Random(seed)
    day_changed = MONTH + timedelta(days=rng.randint(3, 25))
    Policy.objects.create(key="attendance_daily_allowance", value=130, effective_from=day_changed)
    Policy.objects.create(key="attendance_official_counts", value=0, effective_from=day_changed)
    Policy.objects.create(
        key="attendance_checkin_required", value=1, effective_from=MONTH + timedelta(days=5)
    )
    # R34: official business becomes paid from another day of the month.
    Policy.objects.create(
        key="allowance_pays_official", value=1, effective_from=MONTH + timedelta(days=12)
    )
    office = factories.office_user()
    expected = {}
    policy = selectors.AttendancePolicy.load()
    for t in (team, other_team):
        AttendanceSheet.objects.create(team=t, month=MONTH, status="issued")
        for membership in t.memberships.all():
            stationed, paid, unchecked = [], [], 0
            for offset in range(31):
                day = MONTH + timedelta(days=offset)
                if rng.random() < 0.1:
                    continue
                status = rng.choice(DayStatus.values)
                AttendanceDay.objects.create(
                    cadre_id=membership.cadre_id,
                    team=t,
                    date=day,
                    status=status,
                    source=DaySource.LEADER,
                )
                checked = rng.random() < 0.5
                if checked:
                    CheckIn.objects.create(
                        cadre_id=membership.cadre_id, team=t, date=day, at=f"{day}T08:00+08:00"
                    )
                if policy.counts(status, day):
                    stationed.append(day)
                if policy.pays(status, day):
                    paid.append(day)
                if (
                    status == DayStatus.IN_VILLAGE
                    and day >= MONTH + timedelta(days=5)
                    and not checked
                ):
                    unchecked += 1
            expected[membership.cadre_id] = (
                len(stationed),
                unchecked,
                len(paid),
                policy.allowance(paid),
            )

    rows = selectors.compliance_list(user=office, month=MONTH)
    names = {m.cadre.name: m.cadre_id for t in (team, other_team) for m in t.memberships.all()}
    got = {names[row.cadre_name]: (row.service_days, row.unchecked_days) for row in rows}
    assert got == {pk: (days, unchecked) for pk, (days, unchecked, _, _) in expected.items()}
    units = selectors.allowance_summary(user=office, month=MONTH)
    paid = {row["cadre"].pk: (row["days"], row["amount"]) for u in units for row in u.rows}
    assert paid == {
        pk: (days, Decimal(amount)) for pk, (_, _, days, amount) in expected.items() if days
    } | {
        pk: (0, Decimal(0)) for pk, (_, _, days, _) in expected.items() if not days and pk in paid
    }
