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
