"""The zh-hans catalogues are complete and compiled, so a fresh machine needs no gettext."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

CATALOGUES = sorted(
    p
    for p in Path(settings.BASE_DIR).glob("**/locale/zh_Hans/LC_MESSAGES/django.po")
    if ".venv" not in p.parts
)


def _entries(po: Path):
    """(context, msgid, msgstr, fuzzy, plural) for each entry, joining continued lines."""
    entries, current, target = [], None, None
    for raw in po.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if current and current["id"]:
                entries.append(current)
            current, target = None, None
            continue
        current = current or {"ctx": None, "id": None, "str": "", "fuzzy": False, "plural": False}
        if line.startswith("#,") and "fuzzy" in line:
            current["fuzzy"] = True
        elif line.startswith("msgctxt "):
            current["ctx"], target = line[9:-1], "ctx"
        elif line.startswith("msgid "):
            current["id"], target = line[7:-1], "id"
        elif line.startswith("msgid_plural"):
            current["plural"], target = True, None
        elif line.startswith("msgstr"):
            if line.startswith("msgstr[") and not line.startswith("msgstr[0]"):
                target = None
                continue
            current["str"], target = line.split(" ", 1)[1][1:-1], "str"
        elif line.startswith('"') and target:
            current[target] += line[1:-1]
    return [e for e in entries if e["id"]]


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    """The C escapes a .po file uses (\\n, \\", \\\\), as msgfmt reads them."""
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(0)), text)


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_catalogue_is_complete_and_compiled(po):
    entries = _entries(po)
    missing = [e["id"] for e in entries if not e["str"] or e["fuzzy"]]
    assert not missing, f"{po}: untranslated or fuzzy: {missing[:10]}"
    mo = po.with_suffix(".mo")
    assert mo.exists(), f"compile {po} (make messages)"
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    stale = []
    for entry in entries:
        msgid = _unescape(entry["id"])
        key = f"{_unescape(entry['ctx'])}\x04{msgid}" if entry["ctx"] is not None else msgid
        key = (key, 0) if entry["plural"] else key
        if catalog.get(key) != _unescape(entry["str"]):
            stale.append(msgid)
    assert not stale, f"{mo} is older than its .po (make messages): {stale[:5]}"


def test_home_speaks_chinese_by_default(client, office):
    client.force_login(office)
    html = client.get("/").content.decode()
    assert "驻村" in html
