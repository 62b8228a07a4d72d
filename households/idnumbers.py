"""Citizen ID numbers (公民身份号码): the GB 11643-1999 check digit and masking.

Masking lives here, in one function, and templates, exports and admin all call it
(DESIGN.md, Access: ID numbers are masked for every role that does not need them).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_FULL_IDS_ATTR = "_households_full_id_villages"


def check_digit(first17: str) -> str:
    """The 18th character of an ID number whose first 17 digits are given."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS))
    return CHECK_CHARS[total % 11]


def normalize_id_number(value: str) -> str:
    return (value or "").strip().upper()


def id_number_problem(value: str) -> str | None:
    """Why ``value`` is not a valid 18-character ID number, or None when it is."""
    value = normalize_id_number(value)
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789X":
        return str(_("An ID number has 17 digits and a final digit or X."))
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return str(_("The birth date inside the ID number does not exist."))
    if check_digit(value[:17]) != value[17]:
        return str(_("The check digit of the ID number is wrong (GB 11643)."))
    return None


def validate_id_number(value: str) -> None:
    problem = id_number_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_id_number")


def mask(value: str) -> str:
    """1526**********1234: the region prefix and the last four characters stay."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def full_id_village_ids(user) -> frozenset[int] | None:
    """Villages whose ID numbers ``user`` sees whole; None means every village (office).

    The office and the cadres of the team stationed in a village see whole numbers there
    (they register and visit households); supervisors, unit contacts and banner, township
    and village staff see masked ones. Cached on the user object for the request.
    """
    from accounts.roles import get_roles
    from teams.models import Team

    cached = getattr(user, _FULL_IDS_ATTR, False)
    if cached is not False:
        return cached
    roles = get_roles(user)
    if roles.is_office:
        result = None
    elif roles.team_ids:
        result = frozenset(
            Team.objects.filter(pk__in=roles.team_ids).values_list("village_id", flat=True)
        )
    else:
        result = frozenset()
    if user is not None and getattr(user, "is_authenticated", False):
        setattr(user, _FULL_IDS_ATTR, result)
    return result


def shown_id_number(user, *, village_id: int, value: str) -> str:
    """The one masking function: whole for roles that need it, masked for the rest."""
    villages = full_id_village_ids(user)
    if villages is None or village_id in villages:
        return value or ""
    return mask(value)
