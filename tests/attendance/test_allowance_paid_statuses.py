"""R34 (Art 18): the allowance pays for days actually stationed, a policy of its own; the
unit records each sheet's payment once."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.errors import DomainError, NotAllowed
from attendance import selectors, services
from attendance.models import AllowancePayment, DayStatus
from teams.models import Policy
from tests import factories
from tests.attendance.test_days_and_sheets import MONTH, _fill, _issued

pytestmark = pytest.mark.django_db


def _official_first_day(team):
    leader = factories.leader_of(team)
    _fill(team)
    official = {(leader.cadre.pk, MONTH): DayStatus.OFFICIAL}
    services.attendance_days_update(user=leader, team=team, month=MONTH, cells=official)
    return leader


def test_r34_official_business_counts_for_r20_but_is_not_paid(team):
    leader = _official_first_day(team)
    row = selectors.team_month(user=leader, team_id=team.pk, month=MONTH).rows[0]
    assert row.service_days == 31  # R20: official business is a service day
    assert row.allowance == Decimal(30 * 100)  # R34: travel is reimbursed separately


def test_r34_the_office_can_pay_official_business_from_a_date(team):
    Policy.objects.create(key="allowance_pays_official", value=1, effective_from=date(2026, 1, 1))
    leader = _official_first_day(team)
    row = selectors.team_month(user=leader, team_id=team.pk, month=MONTH).rows[0]
    assert row.allowance == Decimal(31 * 100)


def test_r34_unit_summary_leaves_official_days_unpaid(team, office):
    _official_first_day(team)
    sheet = _issued(team)
    assert sheet is not None
    units = selectors.allowance_summary(user=office, month=MONTH)
    assert sum(unit.amount for unit in units) == Decimal((3 * 31 - 1) * 100)


def test_r34_unit_records_a_payment_once(client, team):
    sheet = _issued(team)
    contact = factories.unit_contact_of(team.unit)
    payment = services.allowance_payment_record(
        sheet=sheet, user=contact, paid_on=date(2026, 11, 10), amount=Decimal("9300.00")
    )
    assert (payment.paid_by, payment.amount) == (contact, Decimal("9300.00"))
    with pytest.raises(DomainError, match="already recorded as paid|已记录为已发放|已发放"):
        services.allowance_payment_record(
            sheet=sheet, user=contact, paid_on=date(2026, 11, 11), amount=Decimal("9300.00")
        )
    assert AllowancePayment.objects.count() == 1
    client.force_login(contact)
    page = client.get(reverse("attendance:sheet_list")).content.decode()
    assert "9300.00" in page


def test_r34_another_unit_cannot_record_the_payment(client, team, other_team):
    sheet = _issued(team)
    stranger = factories.unit_contact_of(other_team.unit)
    with pytest.raises(NotAllowed):
        services.allowance_payment_record(
            sheet=sheet, user=stranger, paid_on=date(2026, 11, 10), amount=Decimal(1)
        )
    client.force_login(stranger)
    response = client.post(
        reverse("attendance:sheet_pay", args=[sheet.pk]),
        {"paid_on": "2026-11-10", "amount": "1"},
    )
    assert response.status_code == 404
    assert not AllowancePayment.objects.exists()


def test_r34_a_draft_sheet_cannot_be_paid(team):
    from attendance.services import attendance_sheet_get_or_create

    sheet = attendance_sheet_get_or_create(team=team, month=MONTH + timedelta(days=40))
    with pytest.raises(DomainError, match="from an issued sheet only|已下发"):
        services.allowance_payment_record(
            sheet=sheet,
            user=factories.unit_contact_of(team.unit),
            paid_on=date(2026, 12, 10),
            amount=Decimal(1),
        )
