"""Every setting an app reads is defined once, in config/settings.py, with its default there,
read from the environment and listed in the README's configuration table."""

import importlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOT_APPS = {"tests", "bench", "soak", "config", "node_modules", "static", "staticfiles", "var"}
NAME = re.compile(r"\bQINGDAN_[A-Z0-9_]*[A-Z0-9]\b")
# A read of the environment in settings: the helper or env method, then the variable's name.
ENV_READ = re.compile(r"\b(?:_env|_envnum|_envbool|_envchoice|_required|env\.[a-z_]+)\(\s*\"([A-Z][A-Z0-9_]+)\"")


def app_files():
    for path in sorted(ROOT.rglob("*")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in NOT_APPS or any(p.startswith(".") for p in rel.parts):
            continue
        if path.suffix in {".py", ".html", ".txt"} and path.is_file():
            yield rel, path.read_text(encoding="utf-8")


def test_the_scan_sees_the_apps():
    files = {str(rel) for rel, _ in app_files()}
    assert {"notifications/services/deliver.py", "inspections/services/escalation.py", "tasks/services.py"} <= files


def test_every_qingdan_name_an_app_reads_is_defined_in_settings():
    base = importlib.import_module("config.settings")
    undefined = sorted(
        f"{rel}:{text.count(chr(10), 0, m.start()) + 1}: {m.group()}"
        for rel, text in app_files()
        for m in NAME.finditer(text)
        if not hasattr(base, m.group())
    )
    assert not undefined, "read by an app but not defined in config/settings.py:\n" + "\n".join(undefined)


def test_apps_keep_no_default_of_a_setting():
    """``getattr(settings, "X", default)`` in an app would be a second default beside the one
    in config/settings.py (and hides a misspelt name): apps read ``settings.X``."""
    found = sorted(
        f"{rel}: {m.group()}"
        for rel, text in app_files()
        for m in re.finditer(r"getattr\(\s*settings\s*,\s*[\"'][A-Z0-9_]+[\"']", text)
    )
    assert not found, "\n".join(found)


def test_every_variable_settings_reads_is_in_the_readme_table():
    names = set(ENV_READ.findall((ROOT / "config" / "settings.py").read_text(encoding="utf-8")))
    assert {"QINGDAN_SITE_URL", "QINGDAN_SEND_BACKOFF_MAX_SECONDS", "DATABASE_URL"} <= names  # the scan finds them
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = "\n".join(line for line in readme.splitlines() if line.startswith("| `"))
    missing = sorted(n for n in names if f"`{n}`" not in table)
    assert not missing, f"not in the README's configuration table: {missing}"
