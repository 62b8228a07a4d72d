"""Figures about villages that a higher app owns, asked for by a sibling (R30).

``reports`` measures a practical project's reach against the village's households, which
the ``households`` roster holds; the two apps sit side by side, so ``households`` registers
a counter here in its ``AppConfig.ready`` and ``reports`` asks through this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

HouseholdCounter = Callable[[Iterable[int]], dict[int, int]]
_counters: list[HouseholdCounter] = []


def register_household_counter(counter: HouseholdCounter) -> HouseholdCounter:
    if counter not in _counters:
        _counters.append(counter)
    return counter


def household_counts(village_ids: Iterable[int]) -> dict[int, int]:
    """Households on each village's roster (one query per registered counter)."""
    village_ids = list(village_ids)
    counts: dict[int, int] = {}
    for counter in _counters:
        counts.update(counter(village_ids))
    return counts
