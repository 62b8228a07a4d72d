"""Read back a workbook written by core.spreadsheets: header and data rows only."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook


def table_rows(data: bytes) -> list[tuple]:
    """Header plus data rows: the title row above and the total row below are dropped."""
    sheet = load_workbook(BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))[1:]
    last = sheet.auto_filter.ref.split(":")[1] if sheet.auto_filter.ref else None
    if last:
        last_row = int("".join(ch for ch in last if ch.isdigit()))
        rows = rows[: last_row - 1]
    return rows
