"""Issue 11 findings 4, 9 and 14: uploads are judged by content and size, jobs always end."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from accounts.errors import DomainError
from attendance import services as attendance
from households import roster
from households.models import ImportStatus, RosterImport, Visit
from households.services import visit_log
from reports.services import attachment_add
from tests import factories
from tests.households.factories import HouseholdFactory, make_id_number
from tests.households.roster_files import person_row, workbook_bytes
from tests.reports.factories import LedgerRecordFactory

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00This program cannot be run in DOS mode"
HTML = b"<!doctype html><script>alert(1)</script>"


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` x ``height`` pixels (a decompression bomb's header)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 16)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def files_under(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()] if Path(root).exists() else []


@pytest.mark.parametrize(
    ("name", "content"), [("photo.jpg", EXE), ("report.pdf", HTML), ("x.png", b"hello")]
)
def test_a_ledger_file_is_judged_by_its_content(team, settings, name, content):
    record = LedgerRecordFactory(team=team)
    with pytest.raises(DomainError, match="accepted kind"):
        attachment_add(
            user=factories.leader_of(team),
            record=record,
            upload=SimpleUploadedFile(name, content, content_type="image/jpeg"),
        )
    assert not record.attachments.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_real_pdf_is_accepted_and_only_images_show_inline(team):
    record = LedgerRecordFactory(team=team)
    attachment = attachment_add(
        user=factories.leader_of(team),
        record=record,
        upload=SimpleUploadedFile("notes.jpg", b"%PDF-1.7 minutes"),
    )
    assert not attachment.is_image  # named .jpg, but a PDF: downloaded, never shown inline


@pytest.mark.parametrize(("name", "content"), [("sheet.jpg", EXE), ("sheet.pdf", HTML)])
def test_a_signed_scan_is_judged_by_its_content(team, settings, name, content):
    leader = factories.leader_of(team)
    month = date(2026, 10, 1)
    sheet = attendance.attendance_sheet_get_or_create(team=team, month=month, user=leader)
    attendance.attendance_fill_blanks(user=leader, team=team, month=month)
    sheet = attendance.attendance_sheet_submit(sheet=sheet, user=leader)
    with pytest.raises(DomainError, match="accepted kind"):
        attendance.attendance_sheet_upload_scan(
            sheet=sheet, user=leader, scan=SimpleUploadedFile(name, content)
        )
    sheet.refresh_from_db()
    assert not sheet.signed_scan
    assert files_under(settings.MEDIA_ROOT) == []


@override_settings(VISIT_PHOTO_MAX_MB=0.01)
def test_a_photo_over_the_size_cap_is_refused_with_a_message(team, settings):
    household = HouseholdFactory(village=team.village)
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * 20_000)
    with pytest.raises(DomainError, match="MB"):
        visit_log(
            user=factories.leader_of(team),
            household=household,
            date=date(2026, 3, 1),
            kind="routine",
            findings="Talked",
            photos=[big],
        )
    assert not Visit.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_decompression_bomb_photo_is_refused_not_a_500(client, team):
    household = HouseholdFactory(village=team.village)
    client.force_login(factories.leader_of(team))
    bomb = SimpleUploadedFile("bomb.png", png_header(20000, 20000), content_type="image/png")
    response = client.post(
        reverse("households:visit_create", args=[household.pk]),
        {"date": "2026-03-01", "kind": "routine", "findings": "Talked", "photos": [bomb]},
    )
    assert response.status_code == 200
    assert "pixels" in response.content.decode() or "像素" in response.content.decode()
    assert not Visit.objects.exists()


def _run(data, user):
    job = RosterImport.objects.create(user=user, file=SimpleUploadedFile("r.xlsx", data))
    try:
        return roster.roster_import_run(job_id=job.pk)
    except Exception:  # noqa: BLE001 - the job's row is what the user sees
        job.refresh_from_db()
        return job


def test_a_name_over_the_field_limit_is_a_row_error_not_a_hung_job(team, office):
    row = person_row(team.village, head_id=make_id_number(7), head_name="名" * 60)
    job = _run(workbook_bytes([row]), office)
    assert job.status == ImportStatus.FAILED
    assert any("40" in error["message"] for error in job.errors), job.errors


def test_a_job_that_fails_for_any_reason_ends_failed_with_a_message(team, office, monkeypatch):
    def explode(parsed):
        raise RuntimeError("disk full")

    monkeypatch.setattr(roster, "write_roster", explode)
    row = person_row(team.village, head_id=make_id_number(8))
    job = _run(workbook_bytes([row]), office)
    assert job.status == ImportStatus.FAILED
    assert "disk full" in job.errors[0]["message"]
    assert job.finished_at is not None


@override_settings(ROSTER_MAX_ROWS=2)
def test_rows_beyond_the_cap_are_refused(team, office):
    rows = [person_row(team.village, head_id=make_id_number(20 + n)) for n in range(3)]
    job = _run(workbook_bytes(rows), office)
    assert job.status == ImportStatus.FAILED
    assert "2" in job.errors[-1]["message"]


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (3 * 1024 * 1024))
    return buffer.getvalue()


@override_settings(ROSTER_MAX_UNCOMPRESSED_MB=1)
def test_a_zip_bomb_roster_is_refused_before_it_is_stored(client, office, settings):
    data = zip_bomb()
    assert len(data) < 50_000
    client.force_login(office)
    response = client.post(
        reverse("households:import"), {"file": SimpleUploadedFile("roster.xlsx", data)}
    )
    assert response.status_code == 200
    assert not RosterImport.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


@override_settings(ROSTER_MAX_UPLOAD_MB=0.001)
def test_an_oversized_roster_is_refused(office):
    with pytest.raises(DomainError, match="MB"):
        roster.roster_import_start(
            user=office, upload=SimpleUploadedFile("r.xlsx", b"PK\x03\x04" + b"0" * 5000)
        )
