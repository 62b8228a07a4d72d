"""Build roster workbooks for import tests."""

from __future__ import annotations

import io

from openpyxl import Workbook

from households.roster import COLUMNS

HEADERS = [c.header for c in COLUMNS]


def person_row(
    village,
    *,
    head_id,
    head_name="户主甲",
    name=None,
    id_number=None,
    relation="户主",
    birth="1970-05-17",
    **extra,
) -> dict:
    row = {
        "旗区": village.township.banner.name,
        "苏木乡镇": village.township.name,
        "嘎查村": village.name,
        "所在组": "一社",
        "户主姓名": head_name,
        "户主公民身份号码": head_id,
        "联系电话": "13800000000",
        "贫困状态": "建档立卡贫困户",
        "矛盾纠纷户": "否",
        "姓名": name or head_name,
        "公民身份号码": id_number or head_id,
        "与户主关系": relation,
        "出生日期": birth,
        "健康状况": "健康",
    }
    row.update(extra)
    return row


def workbook_bytes(rows: list[dict], headers: list[str] | None = None) -> bytes:
    headers = headers or HEADERS
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
