"""MONITOR reminders of the ledger's minimums (R12, R16, R26, R29, R30).

Each function is called by one beat task and sends each reminder once per subject and
period (the notification key names both), so running a task twice sends nothing new.
Minimums and the days they are checked on are policy rows.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.notifications import Reminder, notify_many
from core.periods import YEAR, period_containing
from reports.compliance import practical_projects_reaching
from reports.models import LedgerKind, LedgerRecord
from reports.services import _leaders_of
from teams import policies
from teams.models import Membership, Team
from teams.policies import policy_int
from teams.statuses import STATIONED_STATUSES


def service_day_missed_reminders_send(*, on: date | None = None) -> int:
    """R12: a team with no service day recorded in the last complete week (Monday to
    Sunday); its leader is told once for that week."""
    on = on or timezone.localdate()
    monday = on - timedelta(days=on.weekday() + 7)
    sunday = monday + timedelta(days=6)
    minimum = policy_int(policies.SERVICE_DAYS_MIN_PER_WEEK, sunday)
    teams = list(
        Team.objects.stationed()
        .filter(term_start__lte=monday, term_end__gte=sunday)
        .annotate(
            service_days=Count(
                "ledger_records",
                filter=Q(
                    ledger_records__kind=LedgerKind.SERVICE_DAY,
                    ledger_records__date__range=(monday, sunday),
                ),
            )
        )
    )
    behind = [team for team in teams if team.service_days < minimum]
    leaders = _leaders_of([team.pk for team in behind], on)
    year, week, _day = monday.isocalendar()
    return notify_many(
        Reminder(
            users=leaders.get(team.pk, []),
            key=f"service-day-missed:{team.pk}:{year}-W{week:02d}",
            title=_("No service day was recorded in the week of %(day)s")
            % {"day": monday.isoformat()},
            body=_("Hold one fixed service day a week for villagers, and record it."),
            url=reverse("reports:ledger_create") + f"?kind={LedgerKind.SERVICE_DAY}",
        )
        for team in behind
    )


def research_report_reminders_send(*, on: date | None = None) -> int:
    """R16: from the policy month, each stationed cadre without a research report this
    year is reminded once a year."""
    on = on or timezone.localdate()
    if on.month < policy_int(policies.RESEARCH_REMINDER_MONTH, on):
        return 0
    year = period_containing(YEAR, on)
    minimum = policy_int(policies.RESEARCH_REPORTS_MIN_PER_YEAR, on)
    written = Counter(
        LedgerRecord.objects.filter(
            kind=LedgerKind.RESEARCH, date__range=(year.start, on), cadre__isnull=False
        ).values_list("cadre_id", flat=True)
    )
    memberships = (
        Membership.objects.current(on)
        .filter(team__status__in=STATIONED_STATUSES, cadre__user__isnull=False)
        .select_related("cadre__user")
    )
    return notify_many(
        Reminder(
            users=[m.cadre.user],
            key=f"research-due:{m.cadre_id}:{year.key}",
            title=_("Your research report for %(year)s is still due") % {"year": year.key},
            body=_("Write at least %(n)s research report a year.") % {"n": minimum},
            url=reverse("reports:ledger_create") + f"?kind={LedgerKind.RESEARCH}",
        )
        for m in memberships
        if written[m.cadre_id] < minimum
    )


def midyear_reminders_send(*, on: date | None = None) -> int:
    """R26, R29, R30 at mid-year: a team behind on villager trainings (fewer than half
    the year's minimum), without a stable collective-economy project, or without a
    practical project reaching the policy share of the roster's households, is told once
    a year for each."""
    on = on or timezone.localdate()
    if on.month < policy_int(policies.MIDYEAR_CHECK_MONTH, on):
        return 0
    year = period_containing(YEAR, on)
    trainings_min = policy_int(policies.TRAININGS_MIN_PER_YEAR, on)
    collective_min = policy_int(policies.COLLECTIVE_PROJECTS_MIN, on)
    practical_min = policy_int(policies.PRACTICAL_PROJECTS_MIN_PER_YEAR, on)
    share_pct = policy_int(policies.PRACTICAL_PROJECT_MIN_SHARE_PCT, on)
    teams = list(
        Team.objects.stationed()
        .filter(term_start__lte=on)
        .select_related("village")
        .annotate(
            trainings=Count(
                "ledger_records",
                filter=Q(
                    ledger_records__kind=LedgerKind.TRAINING,
                    ledger_records__date__range=(year.start, on),
                ),
            )
        )
    )
    collective = Counter(
        LedgerRecord.objects.filter(
            team__village_id__in={team.village_id for team in teams},
            kind=LedgerKind.COLLECTIVE,
            is_stable_income=True,
            date__lte=on,
        ).values_list("team__village_id", flat=True)
    )
    reaching = practical_projects_reaching(
        teams=teams, start=year.start, end=on, share_pct=share_pct
    )
    leaders = _leaders_of([team.pk for team in teams], on)
    reminders = []
    for team in teams:
        users = leaders.get(team.pk, [])
        if team.trainings * 2 < trainings_min:
            reminders.append(
                Reminder(
                    users=users,
                    key=f"trainings-behind:{team.pk}:{year.key}",
                    title=_("Villager trainings this year: %(n)s of %(min)s")
                    % {"n": team.trainings, "min": trainings_min},
                    body=_("Train villagers at least %(min)s times a year.")
                    % {"min": trainings_min},
                    url=reverse("reports:ledger_create") + f"?kind={LedgerKind.TRAINING}",
                )
            )
        if collective[team.village_id] < collective_min:
            reminders.append(
                Reminder(
                    users=users,
                    key=f"collective-behind:{team.pk}:{year.key}",
                    title=_("%(village)s has no stable collective-economy project yet")
                    % {"village": team.village.name},
                    body=_("At least one stable collective-economy income project."),
                    url=reverse("reports:ledger_create") + f"?kind={LedgerKind.COLLECTIVE}",
                )
            )
        if reaching[team.pk] < practical_min:
            reminders.append(
                Reminder(
                    users=users,
                    key=f"practical-behind:{team.pk}:{year.key}",
                    title=_("No practical project this year reaches %(pct)s%% of households")
                    % {"pct": share_pct},
                    body=_(
                        "One practical project a year benefiting at least %(pct)s%% of "
                        "the village's households on the roster."
                    )
                    % {"pct": share_pct},
                    url=reverse("reports:ledger_create") + f"?kind={LedgerKind.PRACTICAL}",
                )
            )
    return notify_many(reminders)
