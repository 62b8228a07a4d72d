"""What is still open in a team when it hands over (R8), gathered from the apps above.

``teams`` sits below the apps that own errands, disputes or households, so it does not
import them; each registers a source here in its ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from teams.models import HandoverItemKind, Team


@dataclass(frozen=True)
class OpenItems:
    kind: str  # a HandoverItemKind value
    count: int
    url: str = ""


Source = Callable[[Team], list[OpenItems]]
_sources: list[Source] = []


def register(source: Source) -> Source:
    if source not in _sources:
        _sources.append(source)
    return source


def open_items(team: Team) -> dict[str, OpenItems]:
    """Open items of the outgoing ``team`` by checklist kind."""
    items = [item for source in _sources for item in source(team)]
    return {item.kind: item for item in items if item.kind in HandoverItemKind.values}


# --- Carrying the open work over (R8 team rotation, R9 individual rotation) -------------
# A team's rotation: ``carry(outgoing, incoming, on)`` moves the outgoing team's open work
# (errands, disputes, report drafts ...) to the incoming team and returns a line saying what
# moved. An individual rotation: ``carry(outgoing_membership, replacement, on)`` moves the
# cadre's personal open work (paired households ...) to the replacement.

TeamCarrier = Callable[..., str]
PersonalCarrier = Callable[..., str]
_team_carriers: list[TeamCarrier] = []
_personal_carriers: list[PersonalCarrier] = []


def register_team_carrier(carrier: TeamCarrier) -> TeamCarrier:
    if carrier not in _team_carriers:
        _team_carriers.append(carrier)
    return carrier


def register_personal_carrier(carrier: PersonalCarrier) -> PersonalCarrier:
    if carrier not in _personal_carriers:
        _personal_carriers.append(carrier)
    return carrier


def carry_team_work(*, outgoing: Team, incoming: Team, on) -> list[str]:
    lines = [carrier(outgoing=outgoing, incoming=incoming, on=on) for carrier in _team_carriers]
    return [line for line in lines if line]


def carry_personal_work(*, membership, replacement, on) -> list[str]:
    lines = [
        carrier(membership=membership, replacement=replacement, on=on)
        for carrier in _personal_carriers
    ]
    return [line for line in lines if line]
