"""What must be done before a team's term can end, gathered from the apps above.

``teams`` sits below the app that owns the end-of-term assessment (R37), so it does not
import it; each registers a check here in its ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable

from teams.models import Team

Check = Callable[[Team], list[str]]
_checks: list[Check] = []


def register(check: Check) -> Check:
    if check not in _checks:
        _checks.append(check)
    return check


def end_problems(team: Team) -> list[str]:
    """Every registered reason why ``team`` cannot end its term yet."""
    return [problem for check in _checks for problem in check(team)]
