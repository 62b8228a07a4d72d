"""Reading numbers and dates out of a request without a 500 (issue 11, finding 13).

Every page that takes an id, a month or a period from the query string reads it here:
anything that is not a plain, database-sized number or a date inside the calendar the
program can live in is treated as absent.
"""

from __future__ import annotations

from datetime import date

# The calendar the program lives in: no stationing before 1900 or after 2099. Dates
# outside it are typing errors (year 1, 9999-12-31) and overflow date arithmetic.
MIN_YEAR, MAX_YEAR = 1900, 2099
MAX_ID = 2**31 - 1


def int_param(value) -> int | None:
    """A positive database id from a parameter, or None (huge, negative, non-ASCII: None)."""
    text = str(value or "").strip()
    if not text or not text.isascii() or not text.isdigit() or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def year_in_range(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


def date_in_range(value: date | None) -> bool:
    return value is None or year_in_range(value.year)


def date_param(value) -> date | None:
    """``YYYY-MM-DD`` inside the program's calendar, or None."""
    try:
        parsed = date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None
    return parsed if year_in_range(parsed.year) else None
