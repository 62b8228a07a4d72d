"""Names people read for the figure keys of ``core.figures`` (the keys stay in code)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "attendance.service_days": _("Service days"),
    "attendance.required_days": _("Days required"),
    "attendance.months_met_r20": _("Months meeting the 20-day minimum"),
    "attendance.months": _("Months stationed"),
    "attendance.leave_days": _("Leave days"),
    "attendance.unapproved_absence_days": _("Unapproved absence days"),
    "attendance.checkin_days": _("Days with a check-in"),
    "households.visits": _("Household visits"),
    "households.paired_households": _("Paired households"),
    "reports.research_reports": _("Research reports"),
    "reports.ledger_records": _("Work ledger records taken part in"),
}


def labelled(figures: dict) -> list[tuple[str, object]]:
    """(label, value) for the figures people know by name, in a stable order."""
    return [(LABELS[key], figures.get(key)) for key in LABELS if key in figures]
