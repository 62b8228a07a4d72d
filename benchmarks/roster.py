"""Roster import at city scale: `python -m benchmarks.roster [--households 20000]`.

Builds an import file of N new households in the template's layout (one member row
each, valid new ID numbers, villages of the bench city), then runs the import exactly as
the Celery task does (parse every row, then write) inside a transaction that is rolled
back, so the bench database is unchanged. Prints wall time and the process's peak memory
(max RSS, which includes Django itself). Goal (issue 12): <= 15 s and <= 200 MB.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")


class Rollback(Exception):
    pass


def build_file(count: int) -> bytes:
    import random

    from openpyxl import Workbook

    from households.idnumbers import check_digit
    from households.models import Household
    from households.roster import COLUMNS
    from teams.models import Village

    rng = random.Random(20)
    villages = list(
        Village.objects.values_list("township__banner__name", "township__name", "name")
    )
    used = set(Household.objects.values_list("head_id_number", flat=True))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    sheet.append([c.header for c in COLUMNS])
    for index in range(count):
        while True:
            first17 = f"150602{rng.randint(1950, 1995)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}"
            first17 += f"{rng.randint(0, 999):03d}"
            number = first17 + check_digit(first17)
            if number not in used:
                used.add(number)
                break
        banner, township, village = villages[index % len(villages)]
        values = {
            "banner": banner,
            "township": township,
            "village": village,
            "group_name": "一社",
            "head_name": f"户主{index}",
            "head_id_number": number,
            "phone": f"13{rng.randint(100000000, 999999999)}",
            "poverty_status": "一般户",
            "name": f"户主{index}",
            "id_number": number,
            "relation": "户主",
        }
        sheet.append([values.get(c.key, "") for c in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _use_openpyxl_reader() -> None:
    """The reader before issue 12, to compare against."""
    from openpyxl import load_workbook

    from households import roster

    def read_rows(data: bytes):
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        return [roster._text(cell) for cell in next(rows, ())], rows

    roster.read_rows = read_rows


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.roster")
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument(
        "--reader", choices=["calamine", "openpyxl"], default="calamine", help="for comparison"
    )
    args = parser.parse_args()
    import django

    django.setup()
    if args.reader == "openpyxl":
        _use_openpyxl_reader()
    from django.db import transaction

    from accounts.models import User
    from households.roster import parse_roster, write_roster

    data = build_file(args.households)
    office = User.objects.get(username="office")
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    try:
        with transaction.atomic():
            parsed = parse_roster(data, user=office)
            t_parse = time.perf_counter() - t0
            if parsed.errors:
                print("errors:", [e.as_dict() for e in parsed.errors[:5]])
                return 1
            created, updated = write_roster(parsed)
            raise Rollback
    except Rollback:
        pass
    total = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"roster import ({args.reader}) of {args.households} households "
        f"({len(data) // 1024} KB): "
        f"{total:.1f} s (parse {t_parse:.1f} s, write {total - t_parse:.1f} s), "
        f"created {created}, updated {updated}; peak RSS {peak_mb:.0f} MB "
        f"(before import {before_mb:.0f} MB, with the file built in-process)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
