"""The policy (accounts.scope): every role at every level, ended and future memberships, moved and
deactivated orgs, grant validity windows, and one query whatever the org count."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from accounts import services
from accounts.models import Membership, OrgUnit, OrgUnitUserObjectPermission
from accounts.roles import ROLE_ACTIONS, Action, Role
from accounts.scope import can, get_visible_or_404, reaches, request_cache, scope_roots, visible_to
from tests.county import make_user, today

pytestmark = pytest.mark.django_db

ACTIONS = [a.value for a in Action]


def names(user, action="view", on=None):
    return set(visible_to(user, action, on).values_list("code", flat=True))


ALL = {"C", "C-JW", "C-XWB", "T1", "T2", "T1-V1", "T1-V2", "T2-V1"}
TOWN1 = {"T1", "T1-V1", "T1-V2"}

# (username, action) → codes reached. Derived by hand from accounts/roles.py, not from it.
EXPECTED = {
    "staff": {"view": ALL, "work": set(), "review": {"C"}, "manage": ALL, "sensitive": ALL},
    "county_sec": {"view": ALL, "work": {"C"}, "review": set(), "manage": set(), "sensitive": ALL},
    "t1_party": {"view": TOWN1, "work": {"T1"}, "review": set(), "manage": set(), "sensitive": TOWN1},
    "t1_disc": {"view": TOWN1, "work": {"T1"}, "review": {"T1"}, "manage": set(), "sensitive": TOWN1},
    "t1_member": {"view": TOWN1, "work": {"T1"}, "review": set(), "manage": set(), "sensitive": set()},
    "t1_clerk": {"view": TOWN1, "work": {"T1"}, "review": set(), "manage": set(), "sensitive": set()},
    "v11_disc": {"view": {"T1-V1"}, "work": {"T1-V1"}, "review": {"T1-V1"}, "manage": set(), "sensitive": {"T1-V1"}},
    "v11_party": {"view": {"T1-V1"}, "work": {"T1-V1"}, "review": set(), "manage": set(), "sensitive": {"T1-V1"}},
    "v11_clerk": {"view": {"T1-V1"}, "work": {"T1-V1"}, "review": set(), "manage": set(), "sensitive": set()},
    "t2_disc": {"view": {"T2", "T2-V1"}, "work": {"T2"}, "review": {"T2"}, "manage": set(), "sensitive": {"T2", "T2-V1"}},
    "v21_disc": {"view": {"T2-V1"}, "work": {"T2-V1"}, "review": {"T2-V1"}, "manage": set(), "sensitive": {"T2-V1"}},
    "nobody": {a: set() for a in ACTIONS},
}
CASES = [(u, a) for u in EXPECTED for a in ACTIONS]


@pytest.mark.parametrize("username,action", CASES, ids=[f"{u}-{a}" for u, a in CASES])
def test_every_role_at_every_level(county, username, action):
    assert names(county.users[username], action) == EXPECTED[username][action]


def restricted(user, action="view"):
    return set(OrgUnit.objects.restrict(user, action).values_list("code", flat=True))


@pytest.mark.parametrize("username,action", CASES, ids=[f"{u}-{a}" for u, a in CASES])
def test_restrict_is_visible_to_in_at_most_three_small_queries(county, username, action):
    """The policy's literal answer (grants, then the roots or the orgs under the granted ones)
    gives the same orgs as the SQL form, for every role × action."""
    user = county.users[username]
    with CaptureQueriesContext(connection) as ctx:
        codes = restricted(user, action)
    assert len(ctx.captured_queries) <= 3
    assert codes == EXPECTED[username][action] == names(user, action)


def test_a_reach_of_many_orgs_is_one_array_parameter_on_postgresql(county):
    """However many orgs a reach holds, the filter is one parameter and the same query text
    (accounts.lookups.InIds); other databases get the IN list."""
    from tasks.models import Task

    user = county.users["t1_disc"]
    sql, params = Task.objects.restrict(user, "view").values("pk").query.sql_with_params()
    ids = sorted(OrgUnit.objects.filter(code__in=TOWN1).values_list("pk", flat=True))
    if connection.vendor == "postgresql":
        assert '"tasks_task"."org_id" = ANY(%s::bigint[])' in sql
        assert list(params).count(ids) == 1 and not any(isinstance(p, int) and p in ids for p in params)
    else:
        assert '"tasks_task"."org_id" IN (%s, %s, %s)' in sql


def test_answers_are_cached_for_the_request_and_forgotten_when_a_grant_changes(county):
    with request_cache():
        assert restricted(county.t1_disc) == TOWN1
        with CaptureQueriesContext(connection) as ctx:
            assert restricted(county.t1_disc) == TOWN1
            assert can(county.t1_disc, "review", county.town1) and not can(county.t1_disc, "review", county.v11)
            assert reaches(county.t1_disc, "work") and not reaches(county.t1_disc, "manage", county_wide=True)
        assert len(ctx.captured_queries) == 1, "only the list itself: the reach came from the cache"
        services.add_membership(county.t1_disc, county.town2, Role.CLERK, start_date=date(2020, 1, 1))
        assert restricted(county.t1_disc) == TOWN1 | {"T2", "T2-V1"}


def test_restrict_follows_deactivation_validity_superusers_and_new_roots(county):
    admin = make_user("root", is_superuser=True, is_staff=True)
    assert restricted(admin, "work") == ALL
    assert restricted(county.staff) == ALL
    OrgUnit.add_root(name="邻县", code="X", kind="county")
    assert restricted(county.staff) == ALL, "a new root outside the grants is not reached"
    assert restricted(admin) == ALL | {"X"}
    county.t1_disc.is_active = False
    county.t1_disc.save()
    assert restricted(county.t1_disc, "review") == set()
    # a grant on a town and one on its village: the village adds nothing
    Membership.objects.create(user=county.t1_party, org=county.v11, role=Role.CLERK, start_date=date(2020, 1, 1))
    assert restricted(county.t1_party) == TOWN1
    OrgUnit.objects.filter(code="T1-V1").update(is_active=False)
    assert restricted(county.v11_disc, "work") == set() == names(county.v11_disc, "work")
    OrgUnit.objects.filter(code="T1").update(is_active=False)  # a grant on a deactivated org reaches nothing
    assert restricted(county.t1_party) == set() == names(county.t1_party), "its village is switched off too"


@pytest.mark.parametrize("username", list(EXPECTED))
def test_reaches_is_some_org_reached_and_county_wide_a_root(county, username):
    user = county.users[username]
    for action in ACTIONS:
        assert reaches(user, action) == bool(EXPECTED[username][action])
        # the root is reached only through a grant on the root itself
        assert reaches(user, action, county_wide=True) == ("C" in EXPECTED[username][action])


def test_county_wide_manage_is_county_staff_and_stops_with_a_deactivated_root(county):
    users = [*county.users.values(), make_user("root", is_superuser=True, is_staff=True)]
    assert {u.username for u in users if reaches(u, "manage", county_wide=True)} == {"staff", "root"}
    OrgUnit.objects.filter(depth=1).update(is_active=False)
    assert not reaches(county.staff, "manage", county_wide=True), "a grant on a deactivated root manages nothing"


def test_role_table_matches_expectations():
    # the hand-written table above agrees with the code's table for each role
    samples = {"staff": Role.COMMISSION_STAFF, "county_sec": Role.PARTY_SECRETARY, "t1_disc": Role.DISCIPLINE_SECRETARY,
               "t1_member": Role.MEMBER, "t1_clerk": Role.CLERK}
    for username, role in samples.items():
        granted = {a for a in ACTIONS if EXPECTED[username][a]}
        assert granted == set(ROLE_ACTIONS[role])


def test_department_and_commission_members(county):
    dept = make_user("dept_sec")
    Membership.objects.create(user=dept, org=county.office, role=Role.PARTY_SECRETARY, start_date=date(2020, 1, 1))
    assert names(dept) == {"C-XWB"}
    assert names(dept, "work") == {"C-XWB"}


def test_superuser_sees_everything_inactive_user_nothing(county):
    admin = make_user("root", is_superuser=True, is_staff=True)
    assert names(admin) == ALL
    county.staff.is_active = False
    county.staff.save()
    assert names(county.staff) == set()


def test_ended_membership_stops_reach_next_day(county):
    m = Membership.objects.get(user=county.t1_disc)
    services.end_membership(m, on=today())
    assert names(county.t1_disc) == TOWN1, "still in office on the last day"
    assert names(county.t1_disc, on=today() + timedelta(days=1)) == set()
    services.sync_all_grants()  # the daily job drops ended grants
    assert names(county.t1_disc) == TOWN1


def test_membership_ended_in_the_past_removes_grants(county):
    m = Membership.objects.get(user=county.t1_disc)
    services.end_membership(m, on=today() - timedelta(days=1))
    assert names(county.t1_disc) == set()
    assert not OrgUnitUserObjectPermission.objects.filter(user=county.t1_disc).exists()


def test_future_membership_reaches_from_its_start(county):
    u = make_user("newcomer")
    services.add_membership(u, county.town2, Role.CLERK, start_date=today() + timedelta(days=10))
    assert names(u) == set()
    assert names(u, on=today() + timedelta(days=10)) == {"T2", "T2-V1"}


def test_deleted_membership_removes_grants(county):
    Membership.objects.get(user=county.v11_clerk).delete()
    assert names(county.v11_clerk) == set()


def test_membership_moved_to_another_org(county):
    m = Membership.objects.get(user=county.t1_clerk)
    m.org = county.town2
    m.save()
    assert names(county.t1_clerk) == {"T2", "T2-V1"}


def test_moved_village_follows_its_new_town(county):
    services.move_org(county.v12, county.town2)
    assert names(county.t1_party) == {"T1", "T1-V1"}
    assert names(county.t2_disc) == {"T2", "T2-V1", "T1-V2"}
    assert names(county.staff) == ALL
    assert OrgUnit.find_problems() == ([], [], [], [], [])


def test_moved_town_takes_its_villages(county):
    services.move_org(county.town2, county.town1)  # a merger (撤并)
    assert names(county.t1_party) == TOWN1 | {"T2", "T2-V1"}
    assert names(county.t2_disc) == {"T2", "T2-V1"}
    assert names(county.v21_disc) == {"T2-V1"}


def test_deactivated_org(county):
    county.v12.is_active = False
    county.v12.save()
    # history stays readable inside the subtree, but nobody works or reviews there
    assert "T1-V2" in names(county.t1_party)
    county.town1.is_active = False
    county.town1.save()
    assert names(county.t1_disc) == set(), "a grant on a deactivated org reaches nothing"
    assert names(county.t1_disc, "work") == set()
    assert names(county.v11_disc) == {"T1-V1"}
    assert "T1" not in names(county.staff, "review") and "T1" in names(county.staff)
    assert "T1-V2" not in names(county.staff, "work")


def test_grant_validity_window(county):
    """A provider-style grant with a window (e.g. an inspection team): only inside it."""
    u = make_user("inspector")
    start, end = date(2026, 3, 1), date(2026, 4, 30)
    from django.contrib.auth.models import Permission

    OrgUnitUserObjectPermission.objects.create(
        user=u, permission=Permission.objects.get(codename="sensitive_orgunit"), content_object=county.town2,
        valid_from=start, valid_until=end,
    )
    assert names(u, "sensitive", on=start - timedelta(days=1)) == set()
    assert names(u, "sensitive", on=start) == {"T2", "T2-V1"}
    assert names(u, "sensitive", on=end) == {"T2", "T2-V1"}
    assert names(u, "sensitive", on=end + timedelta(days=1)) == set()
    assert names(u, "view", on=start) == set(), "a sensitive grant does not give view"


def test_grant_provider_is_kept_in_step(county):
    u = make_user("team")
    window = (today() - timedelta(days=1), today() + timedelta(days=5))

    def provider(user):
        if user.pk == u.pk:
            yield services.GrantSpec(county.town1.pk, "view", *window)

    services.GRANT_PROVIDERS.append(provider)
    try:
        services.sync_grants(u)
        assert names(u) == TOWN1
        assert names(u, on=window[1] + timedelta(days=1)) == set()
    finally:
        services.GRANT_PROVIDERS.remove(provider)
    services.sync_grants(u)
    assert names(u) == set()


def test_two_memberships_union_and_widest_window(county):
    u = county.v21_disc
    services.add_membership(u, county.v11, Role.CLERK, start_date=today() - timedelta(days=3),
                            end_date=today() + timedelta(days=3))
    assert names(u) == {"T2-V1", "T1-V1"}
    assert names(u, on=today() + timedelta(days=4)) == {"T2-V1"}


@pytest.mark.parametrize("action", ACTIONS)
def test_one_query_whatever_the_org_count(county, action):
    from accounts.bulk import OrgSpec, build

    def count_queries(user):
        with CaptureQueriesContext(connection) as ctx:
            list(visible_to(user, action))
        return len(ctx.captured_queries)

    small = count_queries(county.staff), count_queries(county.t1_disc)
    spec = OrgSpec("BIG", "大县", "county", children=[
        OrgSpec(f"BIG-T{t}", f"镇{t}", "town", "镇", children=[OrgSpec(f"BIG-T{t}-V{v}", f"村{v}", "village", "村") for v in range(30)],
                people=[(f"big{t}", "x", Role.DISCIPLINE_SECRETARY, "")])
        for t in range(20)
    ], people=[("bigstaff", "x", Role.COMMISSION_STAFF, "")])
    build(spec, password="Xx1!xxxxxx", start=date(2020, 1, 1))
    services.add_membership(county.staff, OrgUnit.objects.get(code="BIG"), Role.COMMISSION_STAFF, start_date=date(2020, 1, 1))
    assert OrgUnit.objects.count() > 600
    assert (count_queries(county.staff), count_queries(county.t1_disc)) == small == (1, 1)
    if action in ("view", "manage"):
        assert visible_to(county.staff, action).count() == OrgUnit.objects.count()


def test_bulk_built_tree_is_sound_and_scoped(county):
    from accounts.bulk import OrgSpec, build
    from accounts.models import User

    spec = OrgSpec("Q", "另一县", "county", children=[
        OrgSpec("Q-T1", "一镇", "town", children=[OrgSpec("Q-T1-V1", "一村", "village", people=[("qv", "x", Role.CLERK, "")])],
                people=[("qt", "x", Role.DISCIPLINE_SECRETARY, "")]),
    ])
    build(spec, password="Xx1!xxxxxx", start=date(2020, 1, 1))
    assert OrgUnit.find_problems() == ([], [], [], [], [])
    assert OrgUnit.objects.get(code="Q-T1").get_parent().code == "Q"
    assert names(User.objects.get(username="qt")) == {"Q-T1", "Q-T1-V1"}
    assert names(User.objects.get(username="qv"), "work") == {"Q-T1-V1"}
    assert names(county.staff) == ALL, "another root is not in the first county's subtree"


def test_can_and_get_visible_or_404(county):
    assert can(county.t1_party, "view", county.v11)
    assert not can(county.t2_disc, "view", county.v11)
    assert not can(county.t1_party, "view", None)
    qs = Membership.objects.all()
    m = Membership.objects.get(user=county.v11_clerk)
    assert get_visible_or_404(qs, county.t1_party, pk=m.pk) == m
    with pytest.raises(Http404):
        get_visible_or_404(qs, county.t2_disc, pk=m.pk)
    with pytest.raises(Http404):
        get_visible_or_404(qs, county.t1_party, pk="not-a-number")


def test_scope_roots(county):
    assert [o.code for o in scope_roots(county.t1_party)] == ["T1"]
    assert [o.code for o in scope_roots(county.staff)] == ["C"]
    services.add_membership(county.v21_disc, county.v11, Role.CLERK, start_date=date(2020, 1, 1))
    assert sorted(o.code for o in scope_roots(county.v21_disc)) == ["T1-V1", "T2-V1"]
