"""The zh-hans catalogues are complete and compiled, so a fresh machine needs no gettext."""

from pathlib import Path

import pytest
from django.conf import settings

CATALOGUES = sorted(
    p
    for p in Path(settings.BASE_DIR).glob("**/locale/zh_Hans/LC_MESSAGES/django.po")
    if ".venv" not in p.parts
)


def _entries(po: Path):
    """(msgid, msgstr, fuzzy) for each entry, joining continued lines."""
    entries, msgid, msgstr, fuzzy, target = [], None, None, False, None
    for raw in po.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if msgid is not None:
                entries.append((msgid, msgstr or "", fuzzy))
            msgid, msgstr, fuzzy, target = None, None, False, None
        elif line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            msgid, target = line[7:-1], "id"
        elif line.startswith("msgstr"):
            msgstr, target = line.split(" ", 1)[1][1:-1], "str"
        elif line.startswith('"') and target == "id":
            msgid += line[1:-1]
        elif line.startswith('"') and target == "str":
            msgstr += line[1:-1]
    return [e for e in entries if e[0]]


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_catalogue_is_complete_and_compiled(po):
    entries = _entries(po)
    missing = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert not missing, f"{po}: untranslated or fuzzy: {missing[:10]}"
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime - 1, f"compile {po}"


def test_home_speaks_chinese_by_default(client, office):
    client.force_login(office)
    html = client.get("/").content.decode()
    assert "驻村" in html
