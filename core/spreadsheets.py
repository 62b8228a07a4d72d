"""The one xlsx writer every export uses (issue 11, item 2; issue 13, item 7).

Two duties no exporter may forget:
- Safety: a text cell is always written as text. A value starting with ``= + - @``, a tab
  or a carriage return would otherwise become a live formula in Excel or LibreOffice
  (``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``), also after an importer strips the tab.
  Such cells are stored as strings with Excel's quote prefix, so the text reads exactly
  as entered and stays text when someone edits the cell.
- Layout: a title row, a bold header that stays frozen, an autofilter over the table,
  column widths that fit the content (CJK characters count double), and a total row
  under the columns that hold numbers.

``table_workbook`` streams (write-only mode), so a city-wide export stays small in memory;
widths are measured on the first ``WIDTH_SAMPLE`` rows. ``put`` and ``fit_columns`` serve
the printed layouts (the monthly attendance sheet) that need merged cells.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from itertools import islice

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
WIDTH_SAMPLE = 500
MIN_WIDTH, MAX_WIDTH = 6, 60
TITLE_FONT = Font(size=14, bold=True)
BOLD = Font(bold=True)


def is_risky_text(value) -> bool:
    """True for a string a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def _as_cell_value(value):
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Decimal):
        return float(value)
    if value is None:
        return ""
    if isinstance(value, (int, float, date, datetime)):
        return value
    return str(value)


def _protect(cell, value) -> None:
    """Store ``value`` as text, never as a formula."""
    if isinstance(value, str):
        cell.data_type = "s"
        if is_risky_text(value):
            cell.quotePrefix = True


def put(ws, *, row: int, column: int, value, font: Font | None = None):
    """Write one cell of an ordinary worksheet through the formula guard."""
    value = _as_cell_value(value)
    cell = ws.cell(row=row, column=column, value=value)
    _protect(cell, value)
    if font is not None:
        cell.font = font
    return cell


def text_width(value) -> float:
    """Display width of a value: wide (CJK) characters count as two."""
    text = value.isoformat() if isinstance(value, (date, datetime)) else str(value)
    longest = max((line for line in text.splitlines()), key=len, default="")
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def column_widths(headers: Sequence, rows: Iterable[Sequence]) -> list[float]:
    widths = [text_width(h) for h in headers]
    for row in rows:
        for index, value in enumerate(row):
            if index < len(widths):
                widths[index] = max(widths[index], text_width(_as_cell_value(value)))
    return [min(MAX_WIDTH, max(MIN_WIDTH, w + 2)) for w in widths]


def fit_columns(ws, *, first_row: int = 1, skip_columns: Iterable[int] = ()) -> None:
    """Size an ordinary worksheet's columns to their content (merged title rows ignored)."""
    skip = set(skip_columns)
    widths: dict[int, float] = {}
    merged = {
        (r, c)
        for rng in ws.merged_cells.ranges
        for r in range(rng.min_row, rng.max_row + 1)
        for c in range(rng.min_col, rng.max_col + 1)
    }
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if cell.value in (None, "") or (cell.row, cell.column) in merged:
                continue
            widths[cell.column] = max(widths.get(cell.column, 0), text_width(cell.value))
    for column, width in widths.items():
        if column not in skip:
            ws.column_dimensions[get_column_letter(column)].width = min(
                MAX_WIDTH, max(MIN_WIDTH, width + 2)
            )


def _numeric(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def table_workbook(
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    sheet_name: str | None = None,
    total_columns: Iterable[int] | None | str = "auto",
    total_row: Sequence | None = None,
    on_progress: Callable[[int], None] | None = None,
    progress_every: int = 500,
) -> tuple[bytes, int]:
    """A one-table workbook: title, frozen header with autofilter, fitted widths, totals.

    Returns the file's bytes and the data rows written; see ``write_table``.
    """
    workbook = Workbook(write_only=True)
    count = write_table(
        workbook,
        title=title,
        headers=headers,
        rows=rows,
        sheet_name=sheet_name,
        total_columns=total_columns,
        total_row=total_row,
        on_progress=on_progress,
        progress_every=progress_every,
    )
    return save(workbook), count


def new_workbook() -> Workbook:
    """A streaming workbook for ``write_table`` (one sheet per table)."""
    return Workbook(write_only=True)


def write_table(
    workbook: Workbook,
    *,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    sheet_name: str | None = None,
    total_columns: Iterable[int] | None | str = "auto",
    total_row: Sequence | None = None,
    on_progress: Callable[[int], None] | None = None,
    progress_every: int = 500,
) -> int:
    """One table as a new sheet of a write-only ``workbook``; returns the data rows written.

    ``total_columns``: indexes to total; "auto" totals every column whose values are all
    numbers; None writes no total row. ``total_row`` is written as given instead (for
    figures that do not add up, such as shares).
    """
    ws = workbook.create_sheet(_sheet_name(sheet_name or title))
    rows = iter(rows)
    sample = [list(r) for r in islice(rows, WIDTH_SAMPLE)]
    for index, width in enumerate(column_widths(headers, sample), start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A3"
    ws.append([_styled(ws, title, TITLE_FONT)])
    ws.append([_styled(ws, header, BOLD) for header in headers])

    numeric = [True] * len(headers)
    seen = [False] * len(headers)
    sums: list[float] = [0] * len(headers)
    count = 0
    for row in _chain(sample, rows):
        cells = []
        for index, value in enumerate(row):
            value = _as_cell_value(value)
            if index < len(headers) and value != "":
                if _numeric(value):
                    sums[index] += value
                    seen[index] = True
                else:
                    numeric[index] = False
            cells.append(_styled(ws, value))
        ws.append(cells)
        count += 1
        if on_progress and count % progress_every == 0:
            on_progress(count)

    if total_row is None:
        if total_columns == "auto":
            totalled = [i for i in range(len(headers)) if numeric[i] and seen[i]]
        else:
            totalled = list(total_columns or [])
        if count and totalled:
            total_row = [""] * len(headers)
            for index in totalled:
                total_row[index] = sums[index]
            if 0 not in totalled:
                total_row[0] = _("Total")
    if total_row is not None:
        ws.append([_styled(ws, value, BOLD) for value in total_row])
    if headers:
        ws.auto_filter.ref = f"A2:{get_column_letter(len(headers))}{max(2 + count, 2)}"
    return count


def _styled(ws, value, font: Font | None = None) -> WriteOnlyCell:
    value = _as_cell_value(value)
    cell = WriteOnlyCell(ws, value=value)
    _protect(cell, value)
    if font is not None:
        cell.font = font
    return cell


def _chain(first: list, rest: Iterable):
    yield from first
    yield from rest


def _sheet_name(name: str) -> str:
    """Excel's limits: 31 characters, none of ``[]:*?/\\``."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(name)).strip()
    return (cleaned or "Sheet")[:31]


def save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
