"""Send in-app notifications (and email) exactly once per user and subject key."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from accounts.models import Notification, User


@transaction.atomic
def notify(*, users: Iterable[User], key: str, title: str, body: str = "", url: str = "") -> int:
    """Notify each user once for ``key`` (e.g. ``"report-late:12"``); returns how many new.

    Safe to call again: users who already hold a notification with this key are skipped,
    and the unique constraint holds against a concurrent run.
    """
    users = {user.pk: user for user in users if user is not None}
    if not users:
        return 0
    already = set(
        Notification.objects.filter(key=key, user_id__in=users).values_list("user_id", flat=True)
    )
    fresh = [users[pk] for pk in users if pk not in already]
    Notification.objects.bulk_create(
        [Notification(user=u, key=key, title=title, body=body, url=url) for u in fresh],
        ignore_conflicts=True,
    )
    messages = [
        (title, f"{body}\n\n{url}".strip(), settings.DEFAULT_FROM_EMAIL, [u.email])
        for u in fresh
        if u.email
    ]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return len(fresh)


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when no ids are given)."""
    rows = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    return rows.update(read_at=timezone.now())
