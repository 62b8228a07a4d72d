"""Helpers for attendance tests: leave of a given length, approvals through the services."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from attendance import services
from attendance.models import LeaveKind, LeaveRequest

BASE_DAY = date(2026, 12, 7)


def span(days: str | float | Decimal, start: date = BASE_DAY) -> dict:
    """Dates and half-day flags for a leave of ``days`` (0.5 steps) starting on ``start``."""
    days = Decimal(str(days))
    whole = int(days.to_integral_value(rounding="ROUND_CEILING"))
    return {
        "start_date": start,
        "end_date": start + timedelta(days=whole - 1),
        "end_half": days != whole,
    }


def ask_leave(user, days="1", start: date = BASE_DAY, **kwargs) -> LeaveRequest:
    values = {"kind": LeaveKind.PERSONAL, "reason": "家中有事", "village_informed": True}
    values.update(span(days, start))
    values.update(kwargs)
    return services.leave_request_create(user=user, **values)


def approve_all(leave: LeaveRequest, approvers: dict) -> LeaveRequest:
    """Walk the chain with one approver per body (``{"leader": user, ...}``)."""
    leave.refresh_from_db()
    while leave.status == "pending":
        leave = services.leave_request_decide(
            leave=leave, user=approvers[leave.pending_with], approve=True, comment="同意"
        )
    return leave
