"""Issue 11 finding 2 and issue 13 item 7: one xlsx writer, safe and laid out for filing.

Every exporter writes through core.spreadsheets: a text cell that a spreadsheet would read
as a formula stays text, and each table has a title, a frozen header with an autofilter,
fitted widths and a total row under its numbers.
"""

from __future__ import annotations

import ast
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from core.spreadsheets import table_workbook
from households.models import Household
from reports.exports import export_start
from tests import factories
from tests.households.factories import HouseholdFactory, MemberFactory
from tests.reports.factories import LedgerRecordFactory

NASTY = [
    '=HYPERLINK("https://evil.example","click")',
    "=cmd|' /C calc'!A0",
    "=1+1",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+2",
    "\r=1+2",
]


def formulas_in(data: bytes) -> list[str]:
    """Every <f> element in any sheet of the file: a live formula."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)
        ]


def test_text_that_looks_like_a_formula_stays_text():
    data, count = table_workbook(
        title="t", headers=["text"], rows=[[value] for value in NASTY], total_columns=None
    )
    assert count == len(NASTY)
    assert formulas_in(data) == []
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=3)]
    assert [c.value for c in cells] == NASTY  # the text reads exactly as entered
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_a_table_has_title_frozen_header_autofilter_widths_and_totals():
    rows = [["嘎查村一", 3, 100.5], ["A much longer village name here", 4, 20]]
    data, _ = table_workbook(title="Ledger 2026", headers=["Village", "Days", "Yuan"], rows=rows)
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "Ledger 2026" and sheet["A1"].font.b
    assert [c.value for c in sheet[2]] == ["Village", "Days", "Yuan"]
    assert all(c.font.b for c in sheet[2])
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:C4"
    assert [c.value for c in sheet[5]] == [gettext("Total"), 7, 120.5]
    assert sheet.column_dimensions["A"].width >= len("A much longer village name here")
    assert 6 <= sheet.column_dimensions["B"].width < 12


def test_cjk_text_gets_double_width():
    data, _ = table_workbook(title="t", headers=["x"], rows=[["乌审旗嘎鲁图镇"]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.column_dimensions["A"].width >= 14


@pytest.mark.django_db
def test_ledger_export_writes_no_formula_from_a_record(team):
    for value in NASTY:
        LedgerRecordFactory(team=team, title=value, text=value)
    log = export_start(user=factories.leader_of(team), kind="ledger", params={})
    with log.file.open("rb") as handle:
        data = handle.read()
    assert formulas_in(data) == []
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref
    assert sheet.cell(row=sheet.max_row, column=1).value == gettext("Total")


@pytest.mark.django_db
def test_roster_export_writes_no_formula_even_after_the_importer_strips_a_tab(
    client, team, django_capture_on_commit_callbacks
):
    from tests.households.factories import download_export

    household = HouseholdFactory(village=team.village, head_name="\t=1+2", address=NASTY[1])
    MemberFactory(household=household, name='=HYPERLINK("x")', notes="@SUM(A1)")
    Household.objects.filter(pk=household.pk).update(head_name="=1+2")  # as stripped
    client.force_login(factories.leader_of(team))
    data = download_export(client, django_capture_on_commit_callbacks)
    assert formulas_in(data) == []
    assert "=1+2" in [c.value for c in load_workbook(io.BytesIO(data)).active[3]]


@pytest.mark.django_db
def test_attendance_sheet_and_allowance_write_no_formula(client, team, office):
    from teams.models import Cadre

    Cadre.objects.filter(memberships__team=team).update(name="=cmd|' /C calc'!A0")
    team.unit.name = "@SUM(1,2)"
    team.unit.save()
    client.force_login(factories.leader_of(team))
    sheet = client.get(reverse("attendance:team_month_export", args=[team.pk, 2026, 10]))
    assert sheet.status_code == 200
    assert formulas_in(sheet.content) == []
    client.force_login(office)
    allowance = client.get("/attendance/allowance/", {"month": "2026-10", "format": "xlsx"})
    assert formulas_in(allowance.content) == []
    ws = load_workbook(io.BytesIO(allowance.content)).active
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref.startswith("A3:")


def test_only_core_spreadsheets_builds_workbooks():
    """No exporter writes cells behind the writer's back (the class of formula injection)."""
    offenders = []
    for path in Path(settings.BASE_DIR).glob("*/**/*.py"):
        # Benchmarks build input files (a roster to import), not exports.
        if {".venv", "tests", "benchmarks"} & set(path.parts) or path.name == "spreadsheets.py":
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("openpyxl"):
                names = {alias.name for alias in node.names}
                if names & {"WriteOnlyCell"} or (
                    "Workbook" in names
                    and path.as_posix().endswith("attendance/exports.py") is False
                ):
                    offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}")
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", "") == "cell"
                and any(k.arg == "value" for k in node.keywords)
            ):
                offenders.append(
                    f"{path.relative_to(settings.BASE_DIR)}:{node.lineno} .cell(value=)"
                )
    assert offenders == []
