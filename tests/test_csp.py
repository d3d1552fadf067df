"""The Content-Security-Policy and the cache headers.

* every page carries the strict policy; authenticated responses say ``Cache-Control: no-store``,
  static files keep their own headers;
* templates hold no inline script, event-handler attribute, ``javascript:`` URL or style
  attribute (the policy would refuse them);
* in a real browser, every HTML page of the URL matrix (as county staff) loads with no CSP
  violation and no console error, and the behaviour moved out of the markup still works."""

import re
from importlib import import_module
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import matrix as run
from tests.browser import login

ROOT = Path(settings.BASE_DIR)
POLICY = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self' data:",
    "object-src": "'none'", "frame-ancestors": "'none'", "base-uri": "'self'", "form-action": "'self'",
}


def directives(header: str) -> dict:
    return {d.split()[0]: " ".join(d.split()[1:]) for d in header.split(";") if d.strip()}


@pytest.mark.django_db
def test_pages_carry_the_strict_policy_and_authenticated_ones_no_store(county, client):
    anonymous = client.get(reverse("accounts:login"))
    got = directives(anonymous["Content-Security-Policy"])
    for name, value in POLICY.items():
        assert got[name] == value, name
    assert "unsafe-inline" not in anonymous["Content-Security-Policy"]
    client.force_login(county.staff)
    for name in ("home", "tasks:list", "reports:dashboard", "notifications:inbox"):
        response = client.get(reverse(name))
        assert response.status_code == 200 and response["Cache-Control"] == "no-store", name
        assert response["Content-Security-Policy"] == anonymous["Content-Security-Policy"]
    redirect = client.get(reverse("accounts:login"))  # a redirect to the home page: no-store too
    assert redirect["Cache-Control"] == "no-store"
    static = client.get(settings.STATIC_URL + "js/app.js")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "") and "Content-Security-Policy" not in static


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event-handler attribute"),
    (re.compile(r"\bhx-on", re.I), "hx-on attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style", re.I), "<style> element"),
]


def test_templates_hold_nothing_inline():
    found = []
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        rel = path.relative_to(ROOT)
        if ".venv" in rel.parts or "email" in rel.parts:  # e-mail bodies are not served by the site
            continue
        text = path.read_text()
        for pattern, what in INLINE:
            for m in pattern.finditer(text):
                found.append(f"{rel}:{text[:m.start()].count(chr(10)) + 1}: {what}")
    assert not found, "\n".join(found)


# --- in a real browser ----------------------------------------------------------------------------

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""
MODULES = sorted(p.stem for p in Path(__file__).parent.joinpath("matrix").glob("*.py")
                 if not p.stem.startswith("_") and p.stem not in ("api", "tasks_list"))  # JSON; tasks:list is in tasks


def html_pages(county, client, name):
    """Every GET page of one matrix module county staff (or the superuser) may open, as HTML."""
    pages = []
    if name == "inspections":
        from tests.inspections.conftest import restore_default_categories

        restore_default_categories()
    module = import_module(f"tests.matrix.{name}")
    ids = module.setup(county)
    for route in list(module.ROUTES) + list(getattr(module, "ROOT_ROUTES", [])):
        user = "staff" if route.expect.get("staff") == 200 else "admin" if route.expect.get("admin") == 200 else None
        if route.method != "GET" or user is None:
            continue
        path = reverse(route.name) if route in getattr(module, "ROOT_ROUTES", []) else run.url(module, route, ids)
        if route.data:
            path += "?" + "&".join(f"{k}={v}" for k, v in route.data.items() if not str(v).startswith("@"))
        client.force_login(county.users[user])
        response = client.get(path)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append((user, path))
    if name == "accounts":
        pages += [("admin", reverse("admin:index")), ("admin", reverse("admin:accounts_user_changelist")),
                  ("admin", reverse("admin:accounts_user_change", args=[county.staff.pk]))]
    return pages


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_purge")
@pytest.mark.parametrize("name", MODULES)
def test_every_page_loads_with_no_policy_violation(page, live_server, client, county, name):
    pages = html_pages(county, client, name)
    assert pages, "no HTML page walked"
    errors = []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}")
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.add_init_script(WATCH)
    current = None
    seen = []
    for user, path in pages:
        if user != current:
            login(page, live_server, client, county.users[user])
            current = user
        errors.clear()
        page.goto(live_server.url + path, wait_until="load")
        if path.startswith(reverse("reports:dashboard")):
            if page.locator("#chart-orgs").count():
                page.wait_for_selector("#chart-orgs canvas", timeout=5000)
                page.hover("#chart-orgs canvas", position={"x": 200, "y": 40})  # a tooltip
                page.wait_for_timeout(300)
        if page.url != live_server.url + path:
            seen.append(f"{path} ({user}): ended on {page.url}")
        violations = page.evaluate("window.__csp")
        if violations or errors:
            seen.append(f"{path} ({user}): {violations} {errors}")
    assert not seen, "\n".join(seen)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_purge")
def test_behaviour_moved_out_of_the_markup_still_works(page, live_server, client, county):
    from responsibilities.models import Checklist
    from tests.matrix import responsibilities as resp

    ids = resp.setup(county)
    login(page, live_server, client, county.staff)
    page.add_init_script(WATCH)
    # data-autosubmit: choosing a year reloads the page for it
    page.goto(live_server.url + reverse("responsibilities:holidays"))
    options = page.locator("select[name=year] option").all_inner_texts()
    other = next(o.strip() for o in options if o.strip() != page.locator("select[name=year]").input_value())
    page.select_option("select[name=year]", other)
    page.wait_for_url(f"**year={other}**")
    # data-confirm: refusing the question sends nothing, accepting it archives the list
    checklist = Checklist.objects.get(pk=ids["village_list"])
    page.goto(live_server.url + reverse("responsibilities:detail", args=[checklist.pk]))
    form = page.locator(f"form[action='{reverse('responsibilities:archive', args=[checklist.pk])}']")
    page.once("dialog", lambda d: d.dismiss())
    form.locator("button").click()
    page.wait_for_timeout(300)
    checklist.refresh_from_db()
    assert checklist.status != "archived"
    page.once("dialog", lambda d: d.accept())
    form.locator("button").click()
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)
    checklist.refresh_from_db()
    assert checklist.status == "archived"
    assert page.evaluate("window.__csp") == []



OUTSIDE_LOGO = "https://cdn.redoc.ly/"  # ReDoc's footer logo: refused by img-src, as anything from outside


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_purge")
@pytest.mark.parametrize(("name", "rendered"), [("api:docs", ".swagger-ui .opblock"), ("api:redoc", ".api-content h1")])
def test_api_documentation_renders_with_no_policy_violation(page, live_server, client, county, name, rendered):
    """drf-spectacular's pages under the site's policy: the operations are drawn (the UI's script
    ran) and nothing but an outside image was refused."""
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and OUTSIDE_LOGO not in m.text
            and not m.text.startswith("Failed to load resource") else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.add_init_script(WATCH)
    login(page, live_server, client, county.staff)
    page.goto(live_server.url + reverse(name), wait_until="load")
    page.wait_for_selector(rendered, timeout=15000)
    violations = [v for v in page.evaluate("window.__csp") if not v.startswith(f"img-src {OUTSIDE_LOGO}")]
    assert violations == [] and errors == []
