"""`make bench`: time the pages and exports people wait for, on the city-sized data.

Builds (once) a database with `seed_demo --scale city` (800 villages, 3,200 cadres,
200,000 households), then requests each page as the user who uses it and prints the median
of several runs against its goal. Goals are read here, never asserted in tests.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))

# (name, login, url, goal in seconds)
CASES = [
    ("team list, office, page 1", "office", "/teams/", 0.5),
    ("team list, office, search", "office", "/teams/?q=嘎查", 0.5),
    ("cadre list, office", "office", "/teams/cadres/", 0.5),
    ("village list, office", "office", "/teams/villages/", 0.5),
    ("team list, supervisor", "supervisor", "/teams/", 0.5),
    ("home, leader", "leader", "/", 0.5),
]


def _extra_cases() -> list[tuple[str, str, str, float]]:
    """Apps add their own cases in <app>/bench_cases.py as CASES."""
    import importlib

    cases = []
    for app in ("attendance", "households", "reports", "assessments", "dashboards"):
        try:
            cases += importlib.import_module(f"{app}.bench_cases").CASES
        except ModuleNotFoundError:
            continue
    return cases


def main() -> int:
    Path("var").mkdir(exist_ok=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", scale="demo", verbosity=0)
    call_command("seed_demo", scale="city", verbosity=0)
    print(f"setup (migrate + seed, skipped when present): {time.perf_counter() - started:.1f}s")
    from accounts.models import User

    slow = 0
    print(f"{'case':<45} {'median':>8} {'goal':>6} {'queries':>8}")
    for name, username, url, goal in CASES + _extra_cases():
        client = Client()
        client.force_login(User.objects.get(username=username))
        timings = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                t0 = time.perf_counter()
                response = client.get(url, follow=True)
                timings.append(time.perf_counter() - t0)
            if response.status_code != 200:
                print(f"{name:<45} HTTP {response.status_code}")
                slow += 1
                break
        else:
            median = statistics.median(timings)
            flag = "" if median <= goal else "  SLOW"
            slow += bool(flag)
            print(f"{name:<45} {median:>7.3f}s {goal:>5.1f}s {len(queries):>8}{flag}")
    print(f"{slow} case(s) over goal")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
