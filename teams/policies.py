"""Reading the policy numbers (R-numbers' defaults) in force on a date.

Numbers from the regulation are ``teams.Policy`` rows with an effective date, seeded by
data migrations and edited by the office. Code never writes them as literals.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


class PolicyMissing(ImproperlyConfigured):
    pass


def policy_timeline(key: str) -> list[tuple[date, Decimal]]:
    """Every (effective_from, value) of ``key``, oldest first: one query for many days."""
    from teams.models import Policy

    rows = list(
        Policy.objects.filter(key=key)
        .order_by("effective_from")
        .values_list("effective_from", "value")
    )
    if not rows:
        raise PolicyMissing(f"No policy row for {key!r}; run migrations or add one in admin.")
    return rows


def value_on(timeline: list[tuple[date, Decimal]], day: date) -> Decimal:
    """The value of a timeline in force on ``day`` (the earliest one before any row)."""
    index = bisect_right([start for start, _ in timeline], day) - 1
    return timeline[max(index, 0)][1]


def policy_value(key: str, on: date | None = None) -> Decimal:
    return value_on(policy_timeline(key), on or timezone.localdate())


def policy_int(key: str, on: date | None = None) -> int:
    return int(policy_value(key, on))


def policy_ints(keys: list[str], on: date | None = None) -> dict[str, int]:
    """Several policy numbers in force on ``on``, in one query."""
    from teams.models import Policy

    on = on or timezone.localdate()
    timelines: dict[str, list[tuple[date, Decimal]]] = {key: [] for key in keys}
    for key, start, value in (
        Policy.objects.filter(key__in=keys)
        .order_by("effective_from")
        .values_list("key", "effective_from", "value")
    ):
        timelines[key].append((start, value))
    missing = [key for key, rows in timelines.items() if not rows]
    if missing:
        raise PolicyMissing(f"No policy row for {missing!r}; run migrations or add one in admin.")
    return {key: int(value_on(rows, on)) for key, rows in timelines.items()}
