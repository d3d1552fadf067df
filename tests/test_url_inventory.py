"""Every named URL of the project is declared in the role × scope matrix.

Walks the resolver (every namespace except Django's ``admin``); a URL in namespace
``X`` must appear in ``tests/matrix/X.py`` ``ROUTES``; un-namespaced URLs in
``tests/matrix/accounts.py`` ``ROOT_ROUTES``. A new view without a matrix row fails here.
"""

from importlib import import_module

from django.urls import URLPattern, URLResolver, get_resolver

SKIPPED_NAMESPACES = {"admin"}


def named_urls(patterns=None, ns=None):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            sub = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            if (sub or "").split(":")[0] in SKIPPED_NAMESPACES:
                continue
            yield from named_urls(p.url_patterns, sub)
        elif isinstance(p, URLPattern) and p.name:
            yield ns, p.name


def declared(namespace):
    """Route names declared for a namespace, or None when tests/matrix/<app>.py is missing."""
    if namespace is None:
        return {r.name for r in import_module("tests.matrix.accounts").ROOT_ROUTES}
    top, _, rest = namespace.partition(":")
    try:
        module = import_module(f"tests.matrix.{top}")
    except ModuleNotFoundError:
        return None
    prefix = f"{rest}:" if rest else ""
    return {r.name[len(prefix):] for r in module.ROUTES if r.name.startswith(prefix)}


def test_walk_finds_the_project_urls():
    urls = set(named_urls())
    assert (None, "home") in urls and ("accounts", "login") in urls
    assert not any(ns == "admin" for ns, _ in urls)


def test_every_named_url_is_in_the_matrix():
    missing = []
    for ns, name in sorted(set(named_urls()), key=lambda x: (x[0] or "", x[1])):
        names = declared(ns)
        if names is None:
            missing.append(f"{ns}:{name} (no tests/matrix/{ns.split(':')[0]}.py)")
        elif name not in names:
            missing.append(f"{ns + ':' if ns else ''}{name}")
    assert not missing, f"{len(missing)} URLs are not in the role × scope matrix:\n  " + "\n  ".join(missing)


def test_matrix_declares_no_url_that_does_not_exist():
    """The other direction: a matrix row naming a URL that is not routed is stale."""
    from pathlib import Path

    urls = {(f"{ns}:{name}" if ns else name) for ns, name in named_urls()}
    stale = []
    for path in sorted(Path(__file__).parent.joinpath("matrix").glob("*.py")):
        if path.stem.startswith("_"):
            continue
        module = import_module(f"tests.matrix.{path.stem}")
        app = getattr(module, "APP", path.stem)
        stale += [f"{app}:{r.name}" for r in getattr(module, "ROUTES", []) if f"{app}:{r.name}" not in urls]
        stale += [r.name for r in getattr(module, "ROOT_ROUTES", []) if r.name not in urls]
    assert not stale, f"declared but not routed: {sorted(set(stale))}"
