"""Figures of a team or a cadre for a period, gathered from the apps above.

``core`` sits under every app, so it imports none of them: each middle app (attendance,
households, reports) registers a provider here in its ``AppConfig.ready``, and readers above
them (report appendices, compliance, assessment, dashboards) ask this module. Keys come back
namespaced by the provider (``"attendance.service_days"``), so two apps never collide.

A provider is ``provider(*, ids, start, end) -> {id: {name: value}}`` and answers for every
id in a constant number of queries (never one per team or cadre).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

Figures = dict[int, dict[str, Any]]
Provider = Callable[..., Figures]

TEAM, CADRE = "team", "cadre"
_providers: dict[str, dict[str, Provider]] = {TEAM: {}, CADRE: {}}


def register(namespace: str, *, team: Provider | None = None, cadre: Provider | None = None):
    """Register an app's team and/or cadre provider under ``namespace``; idempotent."""
    if team is not None:
        _providers[TEAM][namespace] = team
    if cadre is not None:
        _providers[CADRE][namespace] = cadre


def namespaces(subject: str = TEAM) -> list[str]:
    return sorted(_providers[subject])


def _gather(subject: str, ids: Iterable[int], start: date, end: date) -> Figures:
    ids = sorted({int(pk) for pk in ids})
    merged: Figures = {pk: {} for pk in ids}
    if not ids:
        return merged
    for namespace, provider in sorted(_providers[subject].items()):
        figures = provider(ids=ids, start=start, end=end)
        for pk in ids:
            for name, value in figures.get(pk, {}).items():
                merged[pk][f"{namespace}.{name}"] = value
    return merged


def team_figures(*, team_ids: Iterable[int], start: date, end: date) -> Figures:
    """Every registered app's figures for each team between ``start`` and ``end``."""
    return _gather(TEAM, team_ids, start, end)


def cadre_figures(*, cadre_ids: Iterable[int], start: date, end: date) -> Figures:
    """What each cadre did themselves between ``start`` and ``end``, from every app."""
    return _gather(CADRE, cadre_ids, start, end)
