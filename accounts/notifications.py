"""A user's own notifications: how many are unread, marking them read.

Sending lives in ``core.notifications`` (``notify``, ``notify_many``, ``office_users``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from accounts.models import Notification


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
