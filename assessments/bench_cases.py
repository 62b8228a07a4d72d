"""`make bench` cases for the annual assessment table at city scale (R37)."""

import datetime

YEAR = datetime.date.today().year

CASES = [
    ("assessments: annual table, office", "office", f"/assessments/{YEAR}/", 1.0),
    ("assessments: annual table, supervisor", "supervisor", f"/assessments/{YEAR}/", 1.0),
    ("assessments: published results, unit", "unit", f"/assessments/{YEAR - 1}/published/", 1.0),
    ("assessments: filing export, office", "office", f"/assessments/{YEAR}/export/", 3.0),
]
