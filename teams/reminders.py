"""MONITOR reminders of the teams app (R35 health check), once per subject and period."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.notifications import Reminder, notify_many
from teams import policies
from teams.models import Cadre, Membership
from teams.policies import policy_int
from teams.statuses import STATIONED_STATUSES


def health_check_reminders_send(*, on: date | None = None) -> int:
    """R35: a stationed cadre whose last health check is older than the policy interval
    (or never recorded) is told, with the unit's contacts, once a year."""
    on = on or timezone.localdate()
    interval = policy_int(policies.HEALTH_CHECK_INTERVAL_DAYS, on)
    stationed = Membership.objects.current(on).filter(team__status__in=STATIONED_STATUSES)
    cadres = list(
        Cadre.objects.filter(pk__in=stationed.values("cadre_id"))
        .filter(
            Q(health_check_date__isnull=True)
            | Q(health_check_date__lt=on - timedelta(days=interval))
        )
        .select_related("user", "unit")
        .prefetch_related("unit__contacts")
    )
    return notify_many(
        Reminder(
            users=[u for u in [cadre.user, *cadre.unit.contacts.all()] if u is not None],
            key=f"health-check:{cadre.pk}:{on.year}",
            title=_("Health check overdue: %(name)s") % {"name": cadre.name},
            body=_("Last check %(day)s; each cadre has a regular health check.")
            % {"day": cadre.health_check_date.isoformat() if cadre.health_check_date else "—"},
            url=reverse("teams:cadre_detail", args=[cadre.pk]),
        )
        for cadre in cadres
    )
