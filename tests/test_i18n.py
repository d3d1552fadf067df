"""The zh_Hans catalog is complete: every app with UI strings ships one, with no
empty or fuzzy entries, and a page renders in Chinese by default."""

from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOG_DIRS = ["locale", "responsibilities/locale", "tasks/locale", "inspections/locale", "api/locale",
                "notifications/locale", "reports/locale", "assessment/locale", "binders/locale", "workapp/locale",
                "letters/locale"]


def _entries(po_text: str):
    """Yield (flags, msgid, msgstrs, block) per entry of a .po file."""
    for block in po_text.split("\n\n"):
        lines = [ln for ln in block.strip().splitlines() if ln and not ln.startswith("#~")]
        if not any(ln.startswith("msgid ") for ln in lines):
            continue
        flags = " ".join(ln for ln in lines if ln.startswith("#,"))
        msgid, strs, current = "", [], None
        for ln in lines:
            if ln.startswith("msgid "):
                current, msgid = "id", ln[6:].strip('"')
            elif ln.startswith("msgid_plural"):
                current = "plural"
            elif ln.startswith("msgstr"):
                current = "str"
                strs.append(ln.split(" ", 1)[1].strip('"'))
            elif ln.startswith('"'):
                if current == "id":
                    msgid += ln.strip('"')
                elif current == "str":
                    strs[-1] += ln.strip('"')
        yield flags, msgid, strs, block


@pytest.mark.parametrize("folder", CATALOG_DIRS)
def test_catalog_is_complete(folder):
    po = ROOT / folder / "zh_Hans" / "LC_MESSAGES" / "django.po"
    assert po.exists(), f"{po} is missing: run makemessages -l zh_Hans for it"
    problems = []
    for flags, msgid, strs, block in _entries(po.read_text(encoding="utf-8")):
        if msgid == "":
            continue  # the header
        if "fuzzy" in flags:
            problems.append(f"fuzzy: {block[:120]!r}")
        if not strs or any(s == "" for s in strs):
            problems.append(f"untranslated: {block[:160]!r}")
    assert not problems, f"{po}: {len(problems)} problems, e.g.\n" + "\n".join(problems[:10])


def test_login_page_is_chinese_by_default(client):
    r = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="")
    assert r.status_code == 200
    assert "登录" in r.content.decode()


@pytest.mark.parametrize("folder", CATALOG_DIRS)
def test_no_translation_is_shadowed(folder):
    """Django merges every catalog into one at run time (LOCALE_PATHS first, then apps in
    INSTALLED_APPS order, then Django's own): the first translation of a msgid wins for the
    whole site. A msgid that an app translates one way but the page shows another way is a
    wrong label (e.g. "Filter" shown as admin's 过滤器). Either use the same Chinese everywhere
    or give the string a context (pgettext / {% translate … context … %})."""
    import gettext

    from django.utils import translation

    mo = ROOT / folder / "zh_Hans" / "LC_MESSAGES" / "django.mo"
    assert mo.exists(), f"{mo} is missing: run compilemessages"
    with mo.open("rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog
    shadowed = []
    with translation.override("zh-hans"):
        for msgid, msgstr in catalog.items():
            if not isinstance(msgid, str) or not msgid or "\x04" in msgid:
                continue  # header, plural forms, contextual entries (never shadowed)
            shown = translation.gettext(msgid)
            if shown != msgstr:
                shadowed.append(f"{msgid!r}: {folder} says {msgstr!r}, the site shows {shown!r}")
    assert not shadowed, f"{len(shadowed)} shadowed:\n" + "\n".join(shadowed)
