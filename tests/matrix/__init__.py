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
