"""The cockpit's table as a workbook, through the one spreadsheet writer (core)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.spreadsheets import table_workbook
from dashboards import cockpit as cockpit_selectors


def _value(row, column: str):
    if column.endswith("_pct"):
        return getattr(row, column)
    return row.figures[column]


def cockpit_workbook(data) -> bytes:
    """A title row naming the place and day, a frozen header with a filter, one row per
    place and the cockpit's own total row (shares do not add up, so it is not summed)."""
    labels = cockpit_selectors.column_labels()
    columns = cockpit_selectors.table_columns()
    title = _("%(place)s: figures on %(day)s") % {
        "place": " / ".join([name for _level, _pk, name in data.node.parents] + [data.node.name]),
        "day": f"{data.today:%Y-%m-%d}",
    }
    content, _count = table_workbook(
        title=title,
        sheet_name=_("Cockpit"),
        headers=[labels["name"]] + [labels[column] for column in columns],
        rows=([row.name] + [_value(row, column) for column in columns] for row in data.rows),
        total_row=[data.total.name] + [_value(data.total, column) for column in columns],
    )
    return content
