"""City-wide month sheet export at city scale: `python -m benchmarks.exports`.

Times the office's download of every team's month in one workbook (rows read and the
workbook written, as the view does) and prints the process's peak memory (max RSS,
Django included). Goal (issue 12): <= 10 s and <= 200 MB.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")


def main() -> int:
    import django

    django.setup()
    from django.test import Client

    from accounts.models import User
    from attendance.selectors import last_month

    client = Client()
    client.force_login(User.objects.get(username="office"))
    month = last_month()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    response = client.get(f"/attendance/sheets/city.xlsx?month={month:%Y-%m}")
    elapsed = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"city month sheet {month:%Y-%m}: HTTP {response.status_code}, "
        f"{len(response.content) // 1024} KB in {elapsed:.1f} s; peak RSS {peak:.0f} MB "
        f"(before {before:.0f} MB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
