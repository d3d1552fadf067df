"""The role × action × org table, built from the policy (accounts.scope), and every place that
must agree with it: the orgs (restrict, can, the SQL form visible_to), the menus (which entries
each user sees), the pages (status codes of list and detail URLs) and the task querysets (the
list's rows, the task page, its files)."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.context_processors import navigation
from accounts.models import Membership, OrgUnit
from accounts.navigation import _ENTRIES, GRASSROOTS_MAX
from accounts.roles import ROLE_ACTIONS, Action, Role
from accounts.scope import can, reaches, reaches_below, visible_to
from tasks import services
from tasks.models import Evidence, Task
from tests.county import make_user
from tests.tasks.conftest import make_task, pdf

pytestmark = pytest.mark.django_db

ACTIONS = [a.value for a in Action]


@pytest.fixture
def table(county):
    """The county, one task per org (reviewed by its parent; 县委办's by 县纪委监委) with a file,
    and a 纪委监委 secretary who reviews 县委办 without viewing it."""
    jw = make_user("jw_disc")
    Membership.objects.create(user=jw, org=county.commission, role=Role.DISCIPLINE_SECRETARY, start_date=date(2020, 1, 1))
    county.users["jw_disc"] = jw
    orgs = list(OrgUnit.objects.order_by("path"))
    tasks = {}
    for org in orgs:
        t = make_task(org, review_org=county.commission if org == county.office else None, title=f"{org.code}事项")
        worker = _worker(org)
        tasks[org.code] = (t, services.add_evidence(t, worker, pdf()) if worker else None)
    return county, orgs, tasks


def _worker(org):
    """Someone who records work for the org (its files are theirs to upload), if any."""
    roles = [r for r, actions in ROLE_ACTIONS.items() if Action.WORK in actions]
    m = Membership.objects.filter(org=org, role__in=roles).current().select_related("user").first()
    return m.user if m else None


def test_orgs_restrict_can_and_visible_to_agree_for_every_cell(table):
    county, orgs, _tasks = table
    for user in county.users.values():
        for action in ACTIONS:
            restricted = set(OrgUnit.objects.restrict(user, action).values_list("pk", flat=True))
            assert restricted == set(visible_to(user, action).values_list("pk", flat=True)), (user, action)
            for org in orgs:
                assert can(user, action, org) == (org.pk in restricted), (user.username, action, org.code)
            assert reaches(user, action) == bool(restricted)


def test_menus_follow_the_policy_and_lead_to_pages_that_answer(table, client, rf):
    county, _orgs, _tasks = table
    guarded = {"notifications:settings", "notifications:webhooks", "inspections:talks", "reports:dashboard",
               "accounts:import"}  # pages that refuse (403) whom the menu leaves out
    for user in county.users.values():
        request = rf.get("/")
        request.user = user
        shown = {item["url_name"] for item in navigation(request)["nav_menu"]}
        shown |= {c["url_name"] for item in navigation(request)["nav_menu"] for c in item["children"]}
        client.force_login(user)
        short = not reaches_below(user)  # sees only their own org: the short, flat menu
        if short:
            assert len(shown) <= GRASSROOTS_MAX, (user.username, shown)
        for e in _ENTRIES:
            parent_shown = e.grassroots if short else (e.parent is None or e.parent in shown)
            if e.rule is not None:  # a named predicate of the policy (e.g. onboards)
                allowed = e.rule(user)
            else:
                allowed = e.action is None or reaches(user, e.action, county_wide=e.county_wide, tree_wide=e.tree_wide)
            expected = parent_shown and allowed
            assert (e.url_name in shown) == expected, (user.username, e.url_name)
            status = client.get(reverse(e.url_name)).status_code
            if e.url_name in shown:
                assert status == 200, (user.username, e.url_name, status)
            elif e.url_name in guarded and not allowed:  # (the short menu also leaves out pages one may open)
                assert status == 403, (user.username, e.url_name, status)


def test_task_list_page_and_files_agree_with_the_task_rule(table, client):
    county, _orgs, tasks = table
    for user in county.users.values():
        view = set(visible_to(user, "view").values_list("pk", flat=True))
        review = set(visible_to(user, "review").values_list("pk", flat=True))
        expected = {t.pk for t, _ev in tasks.values() if t.org_id in view or t.review_org_id in review}
        assert set(Task.objects.restrict(user, "view").values_list("pk", flat=True)) == expected, user.username
        client.force_login(user)
        listed = client.get(reverse("tasks:list")).content.decode()
        for t, ev in tasks.values():
            seen = t.pk in expected
            assert (reverse("tasks:detail", args=[t.pk]) in listed) == seen, (user.username, t.org.code)
            assert client.get(reverse("tasks:detail", args=[t.pk])).status_code == (200 if seen else 404)
            if ev is not None:
                assert Evidence.objects.restrict(user, "view").filter(pk=ev.pk).exists() == seen
                assert client.get(reverse("tasks:evidence_download", args=[ev.pk])).status_code == (200 if seen else 404)
    # the reviewer of 县委办 sees its task through the review rule alone
    jw = county.users["jw_disc"]
    office_task = tasks["C-XWB"][0]
    assert not can(jw, "view", county.office) and office_task in Task.objects.restrict(jw, "view")
