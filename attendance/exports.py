"""Excel workbooks in the layout offices print (R34): built from selector data, no queries."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from attendance.models import DAY_MARKS, DayStatus
from core.spreadsheets import fit_columns, put, table_workbook

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_workbook(data) -> bytes:
    """One team's month: title, header, one row per cadre, a column per day, totals,
    service days, allowance and the three signature blocks."""
    team, month = data.team, data.month
    workbook = Workbook()
    ws = workbook.active
    ws.title = f"{month:%Y-%m}"
    fixed = [_("No."), pgettext("person", "Name"), _("Role"), _("Dispatching unit")]
    statuses = list(DAY_MARKS)
    counts = [str(DayStatus(status).label) for status in statuses]
    tail = counts + [_("Service days"), _("Required"), _("Met"), _("Allowance (yuan)")]
    width = len(fixed) + len(data.days) + len(tail)
    put(ws, row=1, column=1, value=_("Monthly attendance sheet of village-stationed cadres"))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(size=14, bold=True)
    ws["A1"].alignment = CENTER
    village = team.village
    info = _("Team: %(team)s    Village: %(village)s    Month: %(month)s") % {
        "team": team.name,
        "village": f"{village.township.banner.name} {village.township.name} {village.name}",
        "month": f"{month.year}-{month.month:02d}",
    }
    put(ws, row=2, column=1, value=info)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    header = fixed + [str(day.day) for day in data.days] + tail
    for column, value in enumerate(header, start=1):
        cell = put(ws, row=3, column=column, value=value)
        cell.font, cell.alignment, cell.border = Font(bold=True), CENTER, BOX
    row_number = 4
    for index, row in enumerate(data.rows, start=1):
        values = [index, row.cadre.name, str(row.role_label), row.cadre.unit.name]
        values += [cell.mark if cell.in_term else "/" for cell in row.cells]
        values += [row.counts.get(status, 0) for status in statuses]
        values += [
            row.service_days,
            int(row.required),
            _("Yes") if row.met else _("No"),
            float(row.allowance),
        ]
        for column, value in enumerate(values, start=1):
            cell = put(ws, row=row_number, column=column, value=value)
            cell.border, cell.alignment = BOX, CENTER
        row_number += 1
    totals = [_("Total"), "", "", ""] + [""] * len(data.days)
    totals += [sum(row.counts.get(status, 0) for row in data.rows) for status in statuses]
    totals += [data.total_service_days, "", "", float(data.total_allowance)]
    for column, value in enumerate(totals, start=1):
        cell = put(ws, row=row_number, column=column, value=value)
        cell.border, cell.font, cell.alignment = BOX, Font(bold=True), CENTER
    row_number += 2
    legend = "  ".join(f"{mark} {DayStatus(status).label}" for status, mark in DAY_MARKS.items())
    put(ws, row=row_number, column=1, value=_("Marks: %(legend)s") % {"legend": legend})
    row_number += 2
    third = max(width // 3, 1)
    for offset, label in enumerate(
        [
            _("Village head (signature)"),
            _("Township head (signature)"),
            _("Team leader (signature)"),
        ]
    ):
        put(ws, row=row_number, column=1 + offset * third, value=f"{label}:")
        put(ws, row=row_number + 1, column=1 + offset * third, value=_("Date:"))
    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 10
    ws.column_dimensions["C"].width = 8
    ws.column_dimensions["D"].width = 18
    for column in range(len(fixed) + 1, len(fixed) + len(data.days) + 1):
        ws.column_dimensions[get_column_letter(column)].width = 3.5
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.freeze_panes = "E4"
    ws.auto_filter.ref = f"A3:{get_column_letter(width)}{max(3, 3 + len(data.rows))}"
    return _save(workbook)


def allowance_workbook(units, month) -> bytes:
    """R34: per dispatching unit, each cadre's days stationed and allowance."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = f"{month:%Y-%m}"
    put(ws, row=1, column=1, value=_("Allowance summary by dispatching unit"))
    ws["A1"].font = Font(size=14, bold=True)
    put(
        ws,
        row=2,
        column=1,
        value=_("Month: %(month)s") % {"month": f"{month.year}-{month.month:02d}"},
    )
    header = [
        _("Dispatching unit"),
        pgettext("person", "Name"),
        _("Team"),
        _("Days stationed"),
        _("Allowance (yuan)"),
    ]
    for column, value in enumerate(header, start=1):
        cell = put(ws, row=3, column=column, value=value)
        cell.font, cell.border = Font(bold=True), BOX
    row_number = 4
    for unit in units:
        for row in unit.rows:
            values = [
                unit.unit_name,
                row["cadre"].name,
                row["team_name"],
                row["days"],
                float(row["amount"]),
            ]
            for column, value in enumerate(values, start=1):
                put(ws, row=row_number, column=column, value=value).border = BOX
            row_number += 1
        label = _("%(unit)s subtotal") % {"unit": unit.unit_name}
        subtotal = [label, "", "", unit.days, float(unit.amount)]
        for column, value in enumerate(subtotal, start=1):
            cell = put(ws, row=row_number, column=column, value=value)
            cell.border, cell.font = BOX, Font(bold=True)
        row_number += 1
    grand = [_("Total"), "", "", sum(u.days for u in units), sum(float(u.amount) for u in units)]
    for column, value in enumerate(grand, start=1):
        cell = put(ws, row=row_number, column=column, value=value)
        cell.border, cell.font = BOX, Font(bold=True)
    ws.freeze_panes = "A4"
    ws.auto_filter.ref = f"A3:E{max(3, row_number - 1)}"
    fit_columns(ws, first_row=3)
    return _save(workbook)


def city_month_workbook(rows, month, days) -> tuple[bytes, int]:
    """All teams' month in one table for the office to print (R20, R34), streamed
    (write-only), so 3,200 cadres stay small in memory."""
    headers = [
        _("Banner"),
        _("Township"),
        _("Village"),
        _("Team"),
        pgettext("person", "Name"),
        _("Role"),
        _("Dispatching unit"),
        *[str(day.day) for day in days],
        _("Service days"),
        _("Required"),
        _("Met"),
        _("Allowance (yuan)"),
    ]
    title = _("Monthly attendance of all village-stationed cadres, %(month)s") % {
        "month": f"{month.year}-{month.month:02d}"
    }
    return table_workbook(title=title, headers=headers, rows=rows, sheet_name=f"{month:%Y-%m}")
