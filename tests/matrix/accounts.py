"""Every URL of the accounts app, plus the project's un-namespaced URLs (home,
set_language), × role → expected status.

``ROUTES`` are in the ``accounts`` namespace; ``ROOT_ROUTES`` have no namespace.
``expect`` may name ``anonymous`` for the pages a signed-out visitor uses (login,
language); every other route sends anonymous visitors to the login page (302).

Roles: ``staff`` (county commission), ``t1_party`` (a town), ``v11_clerk`` (a village),
``nobody`` (no role), ``admin`` (is_staff superuser, created by ``setup``).
The import pages are for superusers only (not every ``is_staff`` user): everyone else gets 403.
"""

from tests.matrix import Route

APP = "accounts"

SIGNED_IN = {"staff": 200, "t1_party": 200, "v11_clerk": 200, "nobody": 200, "admin": 200}
NOT_ADMIN = {"staff": 403, "t1_party": 403, "v11_clerk": 403, "nobody": 403}
PASSWORD_POST = {"old_password": "Passw0rd!x", "new_password1": "Qiao-mu-7788", "new_password2": "Qiao-mu-7788"}

ROUTES = [
    Route("login", expect={"anonymous": 200, "staff": 302, "nobody": 302}),
    Route("login", "POST", data={"username": "t1_party", "password": "Passw0rd!x"}, expect={"anonymous": 302}),
    Route("logout", expect={"anonymous": 405, "staff": 405, "nobody": 405}),
    Route("logout", "POST", data={}, expect={"anonymous": 302, "staff": 302, "t1_party": 302, "nobody": 302}),
    Route("password_change", expect=SIGNED_IN),
    Route("password_change", "POST", data=PASSWORD_POST,
          expect={"staff": 302, "t1_party": 302, "v11_clerk": 302, "nobody": 302}),
    Route("import", expect={"admin": 200, **NOT_ADMIN}),
    Route("import", "POST", data={"kind": "orgs"}, expect={"admin": 400, **NOT_ADMIN}),
    Route("import_template", kwargs={"kind": "=orgs"}, expect={"admin": 200, **NOT_ADMIN}),
    Route("import_template", kwargs={"kind": "=accounts"}, expect={"admin": 200, **NOT_ADMIN}),
    # the pickers' search (accounts/pickers.py): the task list's unit filter for every reader with
    # a unit; the managers' pickers (inspectors, units, the person held accountable) for county staff
    Route("pick", kwargs={"kind": "=org"}, data={"q": "村"}, expect={**SIGNED_IN, "nobody": 403}),
    Route("pick", kwargs={"kind": "=managed_person"}, data={"q": "t"},
          expect={"staff": 200, "t1_party": 403, "v11_clerk": 403, "nobody": 403, "admin": 200}),
    Route("pick", kwargs={"kind": "=accountable_person"}, data={"org": "T1-V1"},
          expect={"staff": 200, "t1_party": 403, "v11_clerk": 403, "nobody": 403, "admin": 200}),
    Route("pick", kwargs={"kind": "=managed_org"}, data={"q": "镇"},
          expect={"staff": 200, "t1_party": 403, "v11_clerk": 403, "nobody": 403, "admin": 200}),
    Route("pick", kwargs={"kind": "=inspected_org"},
          expect={"staff": 200, "t1_party": 403, "v11_clerk": 403, "nobody": 403, "admin": 200}),
    Route("pick", kwargs={"kind": "=nonesuch"}, expect={"staff": 404, "nobody": 404}),
]

ROOT_ROUTES = [
    Route("home", expect=SIGNED_IN),
    Route("set_language", "POST", data={"language": "zh-hans", "next": "/"},
          expect={"anonymous": 302, "staff": 302, "nobody": 302}),
]


def setup(county) -> dict:
    from tests.county import make_user

    county.users["admin"] = make_user("admin", is_staff=True, is_superuser=True)
    return {}
