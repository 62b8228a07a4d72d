"""The cockpit's table as a workbook: a title row, a frozen header, a filter, a total."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dashboards import cockpit as cockpit_selectors


def _value(row, column: str):
    if column.endswith("_pct"):
        return getattr(row, column)
    return row.figures[column]


def cockpit_workbook(data) -> bytes:
    labels = cockpit_selectors.column_labels()
    columns = cockpit_selectors.table_columns()
    book = Workbook()
    sheet = book.active
    sheet.title = _("Cockpit")[:31]
    title = _("%(place)s: figures on %(day)s") % {
        "place": " / ".join([name for _level, _pk, name in data.node.parents] + [data.node.name]),
        "day": f"{data.today:%Y-%m-%d}",
    }
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([labels["name"]] + [labels[column] for column in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in data.rows:
        sheet.append([row.name] + [_value(row, column) for column in columns])
    sheet.append([data.total.name] + [_value(data.total, column) for column in columns])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B3"
    last = get_column_letter(len(columns) + 1)
    sheet.auto_filter.ref = f"A2:{last}{sheet.max_row - 1}"
    sheet.column_dimensions["A"].width = max([12] + [len(row.name) * 2 + 2 for row in data.rows])
    for index, column in enumerate(columns, start=2):
        sheet.column_dimensions[get_column_letter(index)].width = min(
            30, max(10, len(labels[column]) * 2)
        )
    out = BytesIO()
    book.save(out)
    return out.getvalue()
