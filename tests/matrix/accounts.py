"""Every URL of the accounts app, plus the project's un-namespaced URLs (home,
set_language), × role → expected status.

``ROUTES`` are in the ``accounts`` namespace; ``ROOT_ROUTES`` have no namespace.
``expect`` may name ``anonymous`` for the pages a signed-out visitor uses (login,
language); every other route sends anonymous visitors to the login page (302).

Roles: ``staff`` (county commission), ``t1_party`` (a town), ``v11_clerk`` (a village),
``nobody`` (no role), ``admin`` (the break-glass superuser) and the three administrators
``sysadm``, ``secadm``, ``auditor`` (created by ``setup``).
The second factor's own pages answer each signed-in person (the suite's force_login has verified the
session, so the code and enrolment steps send them on); its resets are the security administrator's.
The import pages are the security administrator's, the audit trail the audit administrator's
(and the superuser's): everyone else gets 403. tests/accounts/test_admin_roles.py walks every
other URL for the administrators.
"""

from tests.matrix import Route

APP = "accounts"

SIGNED_IN = {"staff": 200, "t1_party": 200, "v11_clerk": 200, "nobody": 200, "admin": 200,
             "sysadm": 200, "secadm": 200, "auditor": 200}
NOT_ADMIN = {"staff": 403, "t1_party": 403, "v11_clerk": 403, "nobody": 403}
ONBOARD = {"admin": 200, "secadm": 200, "sysadm": 403, "auditor": 403, **NOT_ADMIN}
AUDIT = {"admin": 200, "auditor": 200, "sysadm": 403, "secadm": 403, **NOT_ADMIN}
ALL_302 = dict.fromkeys(SIGNED_IN, 302)
SECURE = {"admin": 200, "secadm": 200, "sysadm": 403, "auditor": 403, **NOT_ADMIN}  # second-factor resets
PASSWORD_POST = {"old_password": "Passw0rd!x", "new_password1": "Qiao-mu-7788", "new_password2": "Qiao-mu-7788"}

ROUTES = [
    Route("login", expect={"anonymous": 200, "staff": 302, "nobody": 302}),
    Route("login", "POST", data={"username": "t1_party", "password": "Passw0rd!x"}, expect={"anonymous": 302}),
    Route("logout", expect={"anonymous": 405, "staff": 405, "nobody": 405}),
    Route("logout", "POST", data={}, expect={"anonymous": 302, "staff": 302, "t1_party": 302, "nobody": 302}),
    Route("password_change", expect=SIGNED_IN),
    Route("password_change", "POST", data=PASSWORD_POST,
          expect={"staff": 302, "t1_party": 302, "v11_clerk": 302, "nobody": 302}),
    Route("import", expect=ONBOARD),
    Route("import", "POST", data={"kind": "orgs"}, expect={**ONBOARD, "admin": 400, "secadm": 400}),
    Route("import_template", kwargs={"kind": "=orgs"}, expect=ONBOARD),
    Route("import_template", kwargs={"kind": "=accounts"}, expect=ONBOARD),
    Route("audit_log", expect=AUDIT),
    Route("audit_export", expect=AUDIT),
    # the pickers' search (accounts/pickers.py): the task list's unit filter for every reader with
    # a unit; the managers' pickers (inspectors, units, the person held accountable) for county staff
    Route("pick", kwargs={"kind": "=org"}, data={"q": "村"},
          expect={**SIGNED_IN, "nobody": 403, "sysadm": 403, "secadm": 403, "auditor": 403}),  # administrators reach no unit
    Route("pick", kwargs={"kind": "=managed_person"}, data={"q": "t"},
          expect={"staff": 200, "t1_party": 403, "v11_clerk": 403, "nobody": 403, "admin": 200}),
    Route("pick", kwargs={"kind": "=accountable_person"}, data={"org": "T1-V1"},
          expect={"staff": 200, "t1_party": 403, "v11_clerk": 403, "nobody": 403, "admin": 200}),
    Route("pick", kwargs={"kind": "=managed_org"}, data={"q": "镇"},
          expect={"staff": 200, "t1_party": 403, "v11_clerk": 403, "nobody": 403, "admin": 200}),
    Route("pick", kwargs={"kind": "=inspected_org"},
          expect={"staff": 200, "t1_party": 403, "v11_clerk": 403, "nobody": 403, "admin": 200}),
    Route("pick", kwargs={"kind": "=assessed_org"}, data={"q": "村"},
          expect={"staff": 200, "t1_party": 403, "v11_clerk": 403, "nobody": 403, "admin": 200}),
    Route("pick", kwargs={"kind": "=unit_within"}, data={"org": "T1"},
          expect={"staff": 200, "t1_party": 403, "v11_clerk": 403, "nobody": 403, "admin": 200}),
    Route("pick", kwargs={"kind": "=level_org"}, data={"level": "village"},
          expect={"staff": 200, "t1_party": 403, "v11_clerk": 403, "nobody": 403, "admin": 200}),
    # the 问责 form's task: the tasks of the unit chosen and below, for county staff
    Route("pick", kwargs={"kind": "=task"}, data={"org": "T1-V1", "q": "村"},
          expect={"staff": 200, "t1_party": 403, "v11_clerk": 403, "nobody": 403, "admin": 200}),
    # the unit of a risk point: the units one works in or manages
    Route("pick", kwargs={"kind": "=worked_org"},
          expect={**SIGNED_IN, "nobody": 403, "sysadm": 403, "secadm": 403, "auditor": 403}),
    # the talk form: secretaries and county staff (the "sensitive" action)
    Route("pick", kwargs={"kind": "=talker_org"},
          expect={"staff": 200, "t1_party": 200, "v11_clerk": 403, "nobody": 403, "admin": 200}),
    Route("pick", kwargs={"kind": "=talk_org"}, data={"org": "T1"},
          expect={"staff": 200, "t1_party": 200, "v11_clerk": 403, "nobody": 403, "admin": 200}),
    Route("pick", kwargs={"kind": "=talkee"}, data={"org": "T1-V1", "q": "书记"},
          expect={"staff": 200, "t1_party": 200, "v11_clerk": 403, "nobody": 403, "admin": 200}),
    Route("pick", kwargs={"kind": "=nonesuch"}, expect={"staff": 404, "nobody": 404}),
    # the second factor (signed in through the suite's force_login: verified where a code is needed)
    Route("otp_verify", expect=ALL_302),
    Route("otp_verify", "POST", data={"code": "abcdef"}, expect=ALL_302),
    # enrolment: for those without a device (t1_party has one: setup), a wrong code → 400
    Route("otp_enrol", expect={**ALL_302, "v11_clerk": 200, "nobody": 200}),
    Route("otp_enrol", "POST", data={"code": "abcdef"}, expect={**ALL_302, "v11_clerk": 400, "nobody": 400}),
    Route("otp_recovery", expect=SIGNED_IN),
    Route("second_factors", expect=SECURE),
    Route("second_factors", data={"q": "staff"}, expect=SECURE),
    Route("second_factor_reset", "POST", kwargs={"pk": "enrolled_person"}, data={},
          expect={**SECURE, "admin": 302, "secadm": 302}),
    # out of the security administrator's reach: the break-glass account → 404
    Route("second_factor_reset", "POST", kwargs={"pk": "superuser"}, data={}, expect={**SECURE, "admin": 302, "secadm": 404}),
]

ROOT_ROUTES = [
    Route("home", expect=SIGNED_IN),
    Route("set_language", "POST", data={"language": "zh-hans", "next": "/"},
          expect={"anonymous": 302, "staff": 302, "nobody": 302}),
]


def setup(county) -> dict:
    from tests.county import make_user

    county.users["admin"] = make_user("admin", is_superuser=True)
    county.users["sysadm"] = make_user("sysadm", admin_role="system")
    county.users["secadm"] = make_user("secadm", admin_role="security")
    county.users["auditor"] = make_user("auditor", admin_role="audit")
    from accounts.twofactor import enrol_directly

    enrol_directly(county.users["t1_party"])  # enrolled by choice: the reset's target
    return {"enrolled_person": str(county.users["t1_party"].pk), "superuser": str(county.users["admin"].pk)}
