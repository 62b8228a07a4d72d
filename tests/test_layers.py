"""DESIGN.md's floors, checked: no app imports from its own floor or above.

bottom: core, accounts · then teams · then attendance, households, reports (side by side)
· top: assessments, dashboards, mobile. A lower app that must reach a higher one defines a
registry the higher one fills in ``AppConfig.ready`` (``core.figures``,
``teams.handover_items``, ``accounts.roles.register_facts``). Tests, migrations, demo
seeding and management commands are exempt, as in ``/work/shared/tools/layers.py``.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

FLOORS = {
    "core": 0,
    "accounts": 0,
    "teams": 1,
    "attendance": 2,
    "households": 2,
    "reports": 2,
    "assessments": 3,
    "dashboards": 3,
    "mobile": 3,
}
# Within the bottom floor core may read accounts (users, roles); accounts never reads core.
ALLOWED_SAME_FLOOR = {("core", "accounts")}
EXEMPT_PARTS = {"migrations", "management", "tests"}
EXEMPT_STEMS = {"demo", "bench_cases"}


def _imported_apps(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def offenders(root: Path) -> list[str]:
    bad = []
    for app, floor in FLOORS.items():
        for path in sorted((root / app).rglob("*.py")):
            rel = path.relative_to(root)
            if EXEMPT_PARTS & set(rel.parts) or path.stem in EXEMPT_STEMS:
                continue
            for line, target in _imported_apps(path):
                if target == app or target not in FLOORS:
                    continue
                up = FLOORS[target] > floor
                sideways = FLOORS[target] == floor and (app, target) not in ALLOWED_SAME_FLOOR
                if up or (sideways and floor != 3):
                    bad.append(f"{rel}:{line} {app} -> {target}")
    return bad


def test_no_import_points_up_or_sideways():
    assert offenders(Path(settings.BASE_DIR)) == []


def test_the_check_catches_an_upward_import(tmp_path):
    (tmp_path / "accounts").mkdir()
    (tmp_path / "accounts" / "roles.py").write_text("from teams.models import Team\n")
    (tmp_path / "attendance").mkdir()
    (tmp_path / "attendance" / "views.py").write_text("from reports import exports\n")
    assert offenders(tmp_path) == [
        "accounts/roles.py:1 accounts -> teams",
        "attendance/views.py:1 attendance -> reports",
    ]
