"""Files of the assessment: the filing workbook, the circular (通报) and the dossier."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _

from core.spreadsheets import new_workbook, save, write_table


def _sheet(workbook, title: str, header: list[str], rows) -> int:
    """One sheet through the one spreadsheet writer: title row, frozen header with a
    filter, fitted widths, formula-safe text; no totals (scores do not add up)."""
    return write_table(workbook, title=str(title), headers=header, rows=rows, total_columns=None)


def results_workbook(plan, rows) -> bytes:
    """R37: the year's results as filed with the organization department; ``rows`` are
    the tuples of ``selectors.results_export_rows``."""
    from assessments.models import Status

    status_names = {value: str(label) for value, label in Status.choices}
    workbook = new_workbook()
    _sheet(
        workbook,
        str(plan.year),
        [
            _("Banner"),
            _("Team"),
            _("Cadre"),
            _("Dispatching unit"),
            _("Score"),
            _("Grade by score"),
            _("Proposed grade"),
            _("Grade"),
            _("Status"),
        ],
        ([*row[:-1], status_names.get(row[-1], row[-1])] for row in rows),
    )
    return save(workbook)


def circular_docx(plan, rows) -> bytes:
    """R37: the printable circular of the published results, as a Word document."""
    from docx import Document

    document = Document()
    document.add_heading(
        _("Circular on the %(year)d assessment of stationed cadres") % {"year": plan.year}, 1
    )
    document.add_paragraph(
        _(
            "Decided by the leading group (%(meeting)s) and filed with the organization "
            "department (%(reference)s)."
        )
        % {"meeting": plan.decision_meeting, "reference": plan.filing_reference}
    )
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, [_("Cadre"), _("Dispatching unit"), _("Team"), _("Grade")]
    ):
        cell.text = str(text)
    for a in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, [a.cadre.name, a.cadre.unit.name, a.team.name, a.grade.name]):
            cell.text = text
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def dossier_workbook(data: dict) -> bytes:
    """干部档案 (Art 13) as a workbook: terms, months, assessments, cases."""
    cadre = data["cadre"]
    workbook = new_workbook()
    _sheet(
        workbook,
        _("Terms and teams"),
        [_("Team"), _("Village"), _("Role"), _("From"), _("Until")],
        (
            [m.team.name, m.team.village.name, m.get_role_display(), m.start_date, m.end_date]
            for m in data["memberships"]
        ),
    )
    _sheet(
        workbook,
        _("Months"),
        [
            _("Month"),
            _("Service days"),
            _("Required days"),
            _("Leave days"),
            _("Unapproved absence"),
            _("Days with a check-in"),
            _("Visits"),
            _("Ledger records"),
        ],
        (
            [
                row["month"].strftime("%Y-%m"),
                row["figures"]["service_days"],
                row["figures"]["required_days"],
                row["figures"]["leave_days"],
                row["figures"]["absence"],
                row["figures"]["checkins"],
                row["figures"]["visits"],
                row["figures"]["ledger"],
            ]
            for row in data["months"]
        ),
    )
    _sheet(
        workbook,
        _("Assessments"),
        [_("Year"), _("Kind"), _("Team"), _("Score"), _("Grade"), _("Status")],
        (
            [
                a.plan.year,
                a.get_kind_display(),
                a.team.name,
                a.score,
                a.grade.name if a.grade and a.is_decided else "",
                a.get_status_display(),
            ]
            for a in data["assessments"]
        ),
    )
    _sheet(
        workbook,
        _("Cases"),
        [_("Decided on"), _("Kind"), _("What happened"), _("Outcome")],
        ([c.decided_on, c.get_kind_display(), c.summary, c.outcome] for c in data["cases"]),
    )
    workbook.properties.title = cadre.name
    return save(workbook)
