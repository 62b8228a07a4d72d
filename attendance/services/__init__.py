"""Every change to attendance, leave and sheets (R20-R23, R34), one module per workflow.

The package re-exports each workflow's public functions, so callers write
``from attendance import services`` and ``services.leave_request_submit(...)``.
"""

from attendance.services.checkin import checkin_record, distance_m
from attendance.services.common import (
    cadre_of,
    current_membership,
    team_leader_user,
)
from attendance.services.days import (
    _may_edit_grid,
    attendance_days_update,
    attendance_fill_blanks,
    cadres_in_month,
    editable_months,
    set_days,
)
from attendance.services.leave import (
    approvers_for,
    chain_for,
    connected_leave,
    leave_extension_request,
    leave_request_create,
    leave_request_decide,
    leave_request_submit,
    leave_request_withdraw,
    leave_return_report,
    may_act_on,
    overdue_cutoff,
    remind_pending_leave,
)
from attendance.services.sheets import (
    _may_lock_or_reopen,
    attendance_sheet_confirm,
    attendance_sheet_get_or_create,
    attendance_sheet_issue,
    attendance_sheet_lock,
    attendance_sheet_prefill,
    attendance_sheet_reopen,
    attendance_sheet_submit,
    attendance_sheet_upload_scan,
    blank_days,
    remind_unsubmitted_sheets,
)

__all__ = [
    "_may_edit_grid",
    "_may_lock_or_reopen",
    "approvers_for",
    "attendance_days_update",
    "attendance_fill_blanks",
    "attendance_sheet_confirm",
    "attendance_sheet_get_or_create",
    "attendance_sheet_issue",
    "attendance_sheet_lock",
    "attendance_sheet_prefill",
    "attendance_sheet_reopen",
    "attendance_sheet_submit",
    "attendance_sheet_upload_scan",
    "blank_days",
    "cadre_of",
    "cadres_in_month",
    "chain_for",
    "checkin_record",
    "connected_leave",
    "current_membership",
    "distance_m",
    "editable_months",
    "leave_extension_request",
    "leave_request_create",
    "leave_request_decide",
    "leave_request_submit",
    "leave_request_withdraw",
    "leave_return_report",
    "may_act_on",
    "overdue_cutoff",
    "remind_pending_leave",
    "remind_unsubmitted_sheets",
    "set_days",
    "team_leader_user",
]
