"""Send in-app notifications (and email) exactly once per user and subject key, and say
who the office is when a rule tells the office (R18, R21, R33 ...)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q, QuerySet

from accounts.models import OFFICE_GROUP, Notification, User

KEYS_PER_QUERY = 500


@dataclass(frozen=True)
class Reminder:
    """One subject to tell ``users`` about; ``key`` names the subject and its period
    (e.g. ``"report-late:12"``), so the same reminder is never stored twice for a user."""

    users: Sequence[User]
    key: str
    title: str
    body: str = ""
    url: str = ""


@transaction.atomic
def notify_many(reminders: Iterable[Reminder]) -> int:
    """Store (and email) every reminder a user does not hold yet; returns how many new.

    Safe to run again: pairs already notified are skipped, and the unique constraint holds
    against a concurrent run. The queries depend on the number of keys, not of users.
    """
    wanted: dict[tuple[int, str], tuple[User, Reminder]] = {}
    for reminder in reminders:
        for user in reminder.users:
            if user is not None:
                wanted.setdefault((user.pk, reminder.key), (user, reminder))
    if not wanted:
        return 0
    keys = sorted({key for _, key in wanted})
    user_ids = {user_id for user_id, _ in wanted}
    already = set()
    for start in range(0, len(keys), KEYS_PER_QUERY):
        already |= set(
            Notification.objects.filter(
                key__in=keys[start : start + KEYS_PER_QUERY], user_id__in=user_ids
            ).values_list("user_id", "key")
        )
    fresh = [pair for pair in wanted.items() if pair[0] not in already]
    Notification.objects.bulk_create(
        [
            Notification(user=user, key=r.key, title=r.title, body=r.body, url=r.url)
            for _, (user, r) in fresh
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    messages = [
        (r.title, f"{r.body}\n\n{r.url}".strip(), settings.DEFAULT_FROM_EMAIL, [user.email])
        for _, (user, r) in fresh
        if user.email
    ]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return len(fresh)


def notify(*, users: Iterable[User], key: str, title: str, body: str = "", url: str = "") -> int:
    """Notify each user once for ``key``; see ``notify_many``."""
    return notify_many([Reminder(list(users), key, title, body, url)])


def office_users() -> QuerySet[User]:
    """Who the office is for notifications and approvals: active members of the office
    group, and superusers, whom ``get_roles`` also treats as the office."""
    return User.objects.filter(
        Q(groups__name=OFFICE_GROUP) | Q(is_superuser=True), is_active=True
    ).distinct()
