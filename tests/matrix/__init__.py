"""The role × scope URL matrix: one module per app (``tests/matrix/<app>.py``).

Each module defines ``APP`` (the URL namespace), ``ROUTES`` (a list of :class:`Route`
covering EVERY named URL of the app — tests/test_url_inventory.py fails otherwise) and
``setup(county)`` returning the ids the routes' kwargs refer to. The app's own
``tests/<app>/test_matrix.py`` runs the rows: anonymous → login, outsider → 404 and
nothing changed, read-only → 403 and nothing changed, allowed → success.
"""

from dataclasses import dataclass, field


@dataclass
class Route:
    name: str
    method: str = "GET"
    kwargs: dict = field(default_factory=dict)  # url kwarg → key returned by setup(), or "=literal"
    data: dict | None = None                    # POST body ("@key" → setup id)
    expect: dict = field(default_factory=dict)  # username → status code


# --- running the rows (shared by every tests/<app>/test_matrix.py) ---------------------------

def url(module, route, ids) -> str:
    """The route's URL: kwargs name keys of ``setup()``'s ids, or literals written ``=value``."""
    from django.urls import reverse

    kwargs = {k: (v[1:] if v.startswith("=") else ids[v]) for k, v in route.kwargs.items()}
    return reverse(f"{module.APP}:{route.name}", kwargs=kwargs)


def data(route, ids) -> dict:
    """The POST body with ``@key`` values replaced by ``setup()``'s ids."""
    return {k: (ids[v[1:]] if isinstance(v, str) and v.startswith("@") else v) for k, v in (route.data or {}).items()}


def label(route, username: str = "") -> str:
    """A readable pytest id: method, name, kwargs, the form's action/decision, user."""
    extra = (route.data or {}).get("action", (route.data or {}).get("decision", ""))
    return " ".join(p for p in (route.method, route.name, "/".join(route.kwargs.values()), str(extra), username) if p)


def cases(module) -> list:
    """(route, username, expected) for every cell of the module's rows."""
    return [(r, user, code) for r in module.ROUTES for user, code in r.expect.items()]


def audit_count(prefix: str) -> int:
    from accounts.models import AuditEvent

    return AuditEvent.objects.filter(action__startswith=prefix).count()


def check_route(client, county, module, route, username, expected, *, state, audit_prefix,
                write_changes=True, audit_on_write=False):
    """One cell: log in as ``username``, call the route, expect ``expected``. A refusal
    (400/403/404) changes nothing and writes no audit row; a successful POST (302) changes
    something (unless ``write_changes`` is False for that route) and, with
    ``audit_on_write``, is audited. Returns the response for app-specific checks."""
    ids = module.setup(county)
    target = url(module, route, ids)
    before, audits = state(), audit_count(audit_prefix)
    client.force_login(county.users[username])
    response = client.post(target, data(route, ids)) if route.method == "POST" else client.get(target)
    assert response.status_code == expected, (target, getattr(response, "content", b"")[:500])
    if expected in (400, 403, 404):
        assert state() == before, "a refused request changed something"
        assert audit_count(audit_prefix) == audits, "a refused request was audited as done"
    if route.method == "POST" and expected == 302 and write_changes:
        assert state() != before, "a successful write changes something"
        if audit_on_write:
            assert audit_count(audit_prefix) > audits, "a successful write is audited"
    return response


def check_anonymous(client, county, module, route, *, state):
    """Anonymous: sent to the login page, nothing changes."""
    from django.urls import reverse

    ids = module.setup(county)
    before = state()
    response = (client.post if route.method == "POST" else client.get)(url(module, route, ids), data(route, ids))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert state() == before
