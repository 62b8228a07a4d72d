"""Validators for values no record of the program can hold (issue 11, finding 13).

A diary dated year 1, a leave ending 9999-12-31, latitude 999 or a negative income are
typing errors: refused with a message instead of overflowing date arithmetic later.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from core.params import MAX_YEAR, MIN_YEAR


def validate_calendar_date(value) -> None:
    if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(
            _("Enter a date between %(first)s and %(last)s."),
            code="date_out_of_range",
            params={"first": MIN_YEAR, "last": MAX_YEAR},
        )


def validate_calendar_year(value) -> None:
    if value is not None and not MIN_YEAR <= value <= MAX_YEAR:
        raise ValidationError(
            _("Enter a year between %(first)s and %(last)s."),
            code="year_out_of_range",
            params={"first": MIN_YEAR, "last": MAX_YEAR},
        )


LATITUDE = [MinValueValidator(-90), MaxValueValidator(90)]
LONGITUDE = [MinValueValidator(-180), MaxValueValidator(180)]
NOT_NEGATIVE = [MinValueValidator(0)]
