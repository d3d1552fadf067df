"""三员分立: the system, security and audit administrators, each confined to its own list
(accounts.roles.ADMIN_DUTIES / ADMIN_MODELS / ADMIN_ROUTES, answered by accounts.scope), and the
superuser as the audited break-glass account."""

import re
import uuid

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter

from accounts import scope
from accounts.audit import BREAK_GLASS
from accounts.models import AuditEvent, Membership, OrgUnit, User
from accounts.roles import ADMIN_DUTIES, ADMIN_MODELS, ADMIN_ROUTES, ADMIN_ROUTES_ALL, AdminRole, Duty, Role
from tasks.models import Task
from tests.county import make_user

pytestmark = pytest.mark.django_db

ROLES = [AdminRole.SYSTEM, AdminRole.SECURITY, AdminRole.AUDIT]


@pytest.fixture
def admins(county):
    return {role: make_user(f"{role}_adm", admin_role=role) for role in ROLES}


# --- the table itself -------------------------------------------------------------------------

def test_the_three_roles_do_not_overlap():
    """No duty, model or page (besides signing in and out) is shared by two roles."""
    for a in ROLES:
        for b in ROLES:
            if a == b:
                continue
            assert not (ADMIN_DUTIES[a] & ADMIN_DUTIES[b]) - {Duty.ADMIN_SITE}, (a, b)
            assert not set(ADMIN_MODELS[a]) & set(ADMIN_MODELS[b]), (a, b)
            assert not (ADMIN_ROUTES[a] & ADMIN_ROUTES[b]) - ADMIN_ROUTES_ALL - {"admin:*"}, (a, b)
    assert not any(Duty.ASSIGN_ADMIN_ROLES in duties for duties in ADMIN_DUTIES.values()), "only the superuser"
    assert not any("accounts.auditevent" in models for models in ADMIN_MODELS.values()), "nobody browses the trail in the admin"


def test_every_model_in_the_table_is_in_the_admin_site():
    registered = {m._meta.label_lower for m in admin.site._registry}
    for role in ROLES:
        assert set(ADMIN_MODELS[role]) <= registered, role


def test_policy_answers(admins):
    sysadm, secadm, auditor = (admins[r] for r in ROLES)
    assert scope.administers(sysadm, Duty.MANAGE_ACCOUNTS) and not scope.administers(sysadm, Duty.READ_AUDIT)
    assert not scope.onboards(sysadm) and scope.onboards(secadm) and not scope.onboards(auditor)
    assert scope.reads_audit(auditor) and not scope.reads_audit(sysadm) and not scope.reads_audit(secadm)
    assert not scope.administers(auditor, Duty.ADMIN_SITE)
    assert scope.admin_may(sysadm, "accounts.change_user") and not scope.admin_may(secadm, "accounts.change_user")
    assert scope.admin_may(secadm, "axes.delete_accessattempt") and not scope.admin_may(sysadm, "axes.view_accessattempt")
    assert not scope.admin_may(sysadm, "accounts.view_auditevent") and not scope.admin_may(auditor, "accounts.view_auditevent")
    assert not scope.admin_may(sysadm, "accounts.delete_user"), "accounts are deactivated, not deleted"
    assert sysadm.has_perm("accounts.view_orgunit") and not sysadm.has_perm("tasks.view_task")
    assert set(scope.manageable_accounts(sysadm)) == set(User.objects.filter(admin_role="", is_superuser=False))
    assert not scope.manageable_accounts(secadm).exists() and not scope.securable_accounts(sysadm).exists()
    assert secadm not in scope.securable_accounts(secadm), "not his own lock"


def test_administrators_reach_no_org_even_with_a_membership(county, admins):
    sysadm = admins[AdminRole.SYSTEM]
    m = Membership(user=sysadm, org=county.county, role=Role.COMMISSION_STAFF)
    with pytest.raises(ValidationError, match="管理员"):
        m.full_clean()
    Membership.objects.create(user=sysadm, org=county.county, role=Role.COMMISSION_STAFF)  # around the form
    for admin_user in admins.values():
        assert not scope.reaches(admin_user, "view") and not scope.visible_to(admin_user).exists()
        assert not OrgUnit.objects.restrict(admin_user, "manage").exists()
        assert not Task.objects.restrict(admin_user, "view").exists()


# --- the administration site shows each role its own models ----------------------------------

def _models_listed(response) -> set[str]:
    return {f"{app['app_label']}.{m['object_name'].lower()}" for app in response.context["app_list"] for m in app["models"]}


@pytest.mark.parametrize("role", [AdminRole.SYSTEM, AdminRole.SECURITY])
def test_admin_index_lists_only_the_roles_models(client, admins, role):
    client.force_login(admins[role])
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert _models_listed(response) == set(ADMIN_MODELS[role])
    for model in admin.site._registry:
        label = model._meta.label_lower
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        expected = 200 if label in ADMIN_MODELS[role] else 403
        assert client.get(changelist).status_code == expected, (role, label)


def test_the_audit_administrator_has_no_admin_site(client, admins):
    client.force_login(admins[AdminRole.AUDIT])
    assert client.get(reverse("admin:index")).status_code == 403
    assert client.get(reverse("admin:accounts_auditevent_changelist")).status_code == 403


# --- 系统管理员 ---------------------------------------------------------------------------------

def test_system_administrator_cannot_read_the_audit_trail(client, admins):
    client.force_login(admins[AdminRole.SYSTEM])
    assert client.get(reverse("accounts:audit_log")).status_code == 403
    assert client.get(reverse("accounts:audit_export")).status_code == 403
    assert client.get(reverse("admin:accounts_auditevent_changelist")).status_code == 403


def _user_form(user, **extra):
    return {"username": user.username, "full_name": user.full_name, "mobile": "", "email": "", "is_active": "on",
            "must_change_password": "", "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0", **extra}


def test_system_administrator_cannot_grant_himself_or_anyone_an_administrator_role(client, county, admins):
    sysadm = admins[AdminRole.SYSTEM]
    client.force_login(sysadm)
    # his own account (and every administrator's) is not his to edit
    r = client.post(reverse("admin:accounts_user_change", args=[sysadm.pk]), _user_form(sysadm, admin_role="audit", is_superuser="on"))
    assert r.status_code == 302 and r["Location"] == reverse("admin:index")
    r = client.post(reverse("admin:accounts_user_change", args=[admins[AdminRole.SECURITY].pk]),
                    _user_form(admins[AdminRole.SECURITY], is_active=""))
    assert r.status_code == 302 and r["Location"] == reverse("admin:index")
    # another account: the role fields are read-only to him
    page = client.get(reverse("admin:accounts_user_change", args=[county.t1_clerk.pk]))
    assert page.status_code == 200 and 'name="admin_role"' not in page.content.decode()
    r = client.post(reverse("admin:accounts_user_change", args=[county.t1_clerk.pk]),
                    _user_form(county.t1_clerk, admin_role="security", is_superuser="on"))
    assert r.status_code == 302
    for user in (sysadm, admins[AdminRole.SECURITY], county.t1_clerk):
        user.refresh_from_db()
    assert sysadm.admin_role == "system" and not sysadm.is_superuser
    assert admins[AdminRole.SECURITY].is_active
    assert county.t1_clerk.admin_role == "" and not county.t1_clerk.is_superuser
    # nor a role in an organisation
    data = {"user": sysadm.pk, "org": county.county.pk, "role": "commission_staff", "title": "",
            "start_date": "2020-01-01", "end_date": ""}
    r = client.post(reverse("admin:accounts_membership_add"), data)
    assert r.status_code == 200 and not Membership.objects.filter(user=sysadm).exists()


def test_system_administrator_manages_accounts_and_memberships(client, county, admins):
    client.force_login(admins[AdminRole.SYSTEM])
    u = make_user("fresh")
    data = {"user": u.pk, "org": county.v21.pk, "role": "clerk", "title": "", "start_date": "2020-01-01", "end_date": ""}
    assert client.post(reverse("admin:accounts_membership_add"), data).status_code == 302
    assert set(scope.visible_to(u).values_list("code", flat=True)) == {"T2-V1"}
    r = client.post(reverse("admin:accounts_user_change", args=[u.pk]), _user_form(u, is_active=""))
    assert r.status_code == 302
    assert AuditEvent.objects.filter(action="user.changed", object_id=str(u.pk), actor=admins[AdminRole.SYSTEM]).exists()


# --- 安全管理员 ---------------------------------------------------------------------------------

def test_only_the_superuser_assigns_administrator_roles(client, county):
    root = make_user("root", is_superuser=True)
    client.force_login(root)
    r = client.post(reverse("admin:accounts_user_change", args=[county.t1_clerk.pk]), _user_form(county.t1_clerk, admin_role="audit"))
    assert r.status_code == 302
    county.t1_clerk.refresh_from_db()
    assert county.t1_clerk.admin_role == "audit" and not county.t1_clerk.is_staff
    ev = AuditEvent.objects.get(action="user.changed", object_id=str(county.t1_clerk.pk))
    assert ev.detail["admin_role"] == "audit" and ev.detail[BREAK_GLASS] is True


def test_security_administrator_unlocks_and_onboards_but_edits_no_account(client, county, admins):
    secadm = admins[AdminRole.SECURITY]
    client.force_login(secadm)
    assert client.get(reverse("accounts:import")).status_code == 200
    assert client.get(reverse("admin:accounts_accountsecurity_changelist")).status_code == 200
    assert client.get(reverse("admin:notifications_webhook_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_change", args=[county.t1_clerk.pk])).status_code == 403
    r = client.post(reverse("admin:accounts_accountsecurity_change", args=[county.t1_clerk.pk]), {"full_name": "改名"})
    county.t1_clerk.refresh_from_db()
    assert county.t1_clerk.full_name == "t1_clerk", r.status_code


# --- 审计管理员 ---------------------------------------------------------------------------------

def test_audit_administrator_sees_the_audit_trail_and_nothing_of_the_business(client, county, admins):
    client.force_login(admins[AdminRole.AUDIT])
    assert client.get(reverse("accounts:audit_log")).status_code == 200
    assert client.get(reverse("tasks:mine")).status_code == 403
    assert client.get(reverse("reports:dashboard")).status_code == 403
    home = client.get(reverse("home")).content.decode()
    assert reverse("accounts:audit_log") in home


# --- the break-glass superuser ------------------------------------------------------------------

def test_every_superuser_request_is_audited_and_flagged(client, county):
    root = make_user("root", is_superuser=True)
    client.force_login(root)
    assert client.get(reverse("tasks:mine")).status_code == 200
    ev = AuditEvent.objects.filter(action="auth.break_glass").latest("id")
    assert ev.actor_id == root.pk and ev.detail["path"] == reverse("tasks:mine") and ev.detail["status"] == 200
    assert ev.detail[BREAK_GLASS] is True
    data = {"user": county.nobody.pk, "org": county.v21.pk, "role": "clerk", "title": "", "start_date": "2020-01-01",
            "end_date": ""}
    assert client.post(reverse("admin:accounts_membership_add"), data).status_code == 302
    assert AuditEvent.objects.get(action="membership.created", detail__member="nobody").detail[BREAK_GLASS] is True
    assert AuditEvent.objects.filter(action="auth.break_glass", detail__method="POST").exists()
    client.force_login(county.staff)
    before = AuditEvent.objects.filter(action="auth.break_glass").count()
    client.get(reverse("tasks:mine"))
    assert AuditEvent.objects.filter(action="auth.break_glass").count() == before, "only the superuser"


# --- every URL: each administrator is refused everything outside its list ----------------------

def _walk(patterns=None, ns=None):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            sub = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
            yield from _walk(p.url_patterns, sub)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{ns}:{p.name}" if ns else p.name), p


def _sample_url(view_name, pattern):
    """A URL of the route with made-up arguments (the refusal comes before any object is looked up)."""
    converters = getattr(pattern.pattern, "converters", {})
    regex = pattern.pattern.regex
    names = list(converters) or list(regex.groupindex)
    for guess in ("1", "x", "accounts"):  # "accounts": an app label, for admin:app_list
        kwargs = {}
        for name in names:
            conv = converters.get(name)
            kwargs[name] = (str(uuid.uuid4()) if isinstance(conv, UUIDConverter) else
                            "1" if isinstance(conv, IntConverter) else guess)
        args = [] if names else [guess] * regex.groups  # positional groups (simple_history's admin)
        try:
            return reverse(view_name, args=args or None, kwargs=kwargs or None)
        except Exception:  # noqa: BLE001 — try the next guess
            continue
    return None


ROUTES_WALKED = None


def _routes():
    global ROUTES_WALKED
    if ROUTES_WALKED is None:
        ROUTES_WALKED = sorted({(name, p) for name, p in _walk()}, key=lambda x: x[0])
    return ROUTES_WALKED


@pytest.mark.parametrize("role", ROLES)
def test_each_administrator_is_refused_every_url_outside_its_list(client, county, admins, role):
    """Every named URL of the project (the URL inventory, the administration site included)
    outside the role's list answers 403 to GET and POST, and nothing is written."""
    routes = _routes()
    assert len(routes) > 100
    user = admins[role]
    client.force_login(user)
    before = (AuditEvent.objects.exclude(action__startswith="auth.").count(), Membership.objects.count())
    unreachable, wrong = [], []
    for name, pattern in routes:
        if scope.opens(user, name):
            continue
        url = _sample_url(name, pattern)
        if url is None:
            unreachable.append(name)
            continue
        # the administration site is refused as a whole (one rule): GET is enough there
        for method in ("get",) if name.startswith("admin:") else ("get", "post"):
            status = getattr(client, method)(url).status_code
            if status != 403:
                wrong.append(f"{role} {method.upper()} {name} {url} → {status}")
    assert not unreachable, unreachable
    assert not wrong, "\n".join(wrong)
    assert (AuditEvent.objects.exclude(action__startswith="auth.").count(), Membership.objects.count()) == before
    opened = {n for n, _p in routes if scope.opens(user, n)}
    assert {n for n in opened if not n.startswith("admin:")} == {r for r in ADMIN_ROUTES[role] if r != "admin:*"}
    assert any(n.startswith("admin:") for n in opened) == (role != AdminRole.AUDIT)
