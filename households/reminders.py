"""Reminder services behind the Celery tasks; idempotent through notify(key=...)."""

from __future__ import annotations

from datetime import date

from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification
from core.notifications import Reminder, notify_many, office_users
from households import compliance
from households.models import Household
from households.selectors import open_pairing_exists
from teams.models import Membership, MembershipRole, Team


def remind_overdue_visits(*, on: date | None = None) -> int:
    """R13-R15: a weekly digest to each stationed team's leader of overdue households."""
    on = on or timezone.localdate()
    teams = list(Team.objects.stationed().select_related("village"))
    village_ids = {team.village_id for team in teams}
    overdue = {
        row["village_id"]: row["overdue"]
        for row in compliance.coverage_by(
            Household.objects.filter(village_id__in=village_ids), on=on, fields=["village_id"]
        )
    }
    leaders = {
        m.team_id: m.cadre.user
        for m in Membership.objects.current(on)
        .filter(team__in=teams, role=MembershipRole.LEADER, cadre__user__isnull=False)
        .select_related("cadre__user")
    }
    year, week, _weekday = on.isocalendar()
    reminders: list[Reminder] = []
    for team in teams:
        count = overdue.get(team.village_id, 0)
        leader = leaders.get(team.pk)
        if not count or leader is None:
            continue
        reminders.append(
            Reminder(
                users=[leader],
                key=f"visits-overdue:{team.pk}:{year}-W{week:02d}",
                title=_("%(count)s households in %(village)s are overdue for a visit")
                % {"count": count, "village": team.village.name},
                body=_("R13-R15: open the to-visit list to see who is most urgent."),
                url=reverse("households:to_visit"),
            )
        )
    return notify_many(reminders)


def remind_unpaired_poor_households(*, on: date | None = None) -> int:
    """R33: tell the office once about each poor or monitored household with no cadre."""
    from households.models import POOR_STATUSES

    users = list(office_users())
    if not users:
        return 0
    already_told = Notification.objects.filter(
        key=OuterRef("reminder_key"), user__in=[user.pk for user in users]
    )
    unpaired = (
        Household.objects.filter(poverty_status__in=POOR_STATUSES)
        .filter(~open_pairing_exists())
        .annotate(reminder_key=Concat(Value("unpaired-poor:"), Cast("pk", CharField())))
        .filter(~Exists(already_told))
        .select_related("village")
        .order_by("pk")
    )
    reminders: list[Reminder] = []
    for household in unpaired.iterator(chunk_size=2000):
        reminders.append(
            Reminder(
                users=users,
                key=f"unpaired-poor:{household.pk}",
                title=_("%(household)s (%(village)s) has no paired cadre")
                % {"household": household.head_name, "village": household.village.name},
                body=_("R33: every registered poor household is paired with a cadre."),
                url=reverse("households:household_detail", args=[household.pk]),
            )
        )
    return notify_many(reminders)
