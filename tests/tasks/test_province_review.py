"""Under a province root a list reviewed "by the county" is reviewed by the task's own county —
not by the province, not by the other county — and generation and the bulk loader give every
task the same review org (one definition: accounts county_path through tasks.generation.OrgTree)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.scope import can
from responsibilities import services as lists
from responsibilities.loading import load_default_lists
from responsibilities.models import Checklist, ChecklistItem
from tasks import bulkload
from tasks.generation import plan_checklist
from tasks.models import Task
from tests.province import build_province
from tests.responsibilities.conftest import make_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(db):
    return build_province()


def _tasks(checklist):
    return Task.objects.filter(source_type=ContentType.objects.get_for_model(ChecklistItem),
                               source_id__in=checklist.items.values("pk"))


def test_a_county_reviewed_task_is_reviewed_by_its_own_county(province, login):
    p = province
    by_county = make_list("village", "discipline", review_by="county", items=[{"frequency": "Y", "due_rule": "fixed", "due_month_day": "12-20"}])
    own = make_list("county", "discipline", review_by="county", items=[{"frequency": "Y", "due_rule": "fixed", "due_month_day": "12-20"}])
    by_parent = make_list("county", "committee", review_by="parent", items=[{"frequency": "Y", "due_rule": "fixed", "due_month_day": "12-20"}])
    for checklist in (by_county, own, by_parent):
        lists.publish(checklist, p.p_staff)
    assert dict(_tasks(by_county).values_list("org", "review_org")) == {p.a_village.pk: p.a.pk, p.b_village.pk: p.b.pk}
    assert dict(_tasks(own).values_list("org", "review_org")) == {p.a.pk: p.a.pk, p.b.pk: p.b.pk}
    assert dict(_tasks(by_parent).values_list("org", "review_org")) == {p.a.pk: p.root.pk, p.b.pk: p.root.pk}

    a_task = _tasks(by_county).get(org=p.a_village)
    assert can(p.a_staff, "review", a_task)
    assert not can(p.b_staff, "review", a_task) and not can(p.p_staff, "review", a_task)
    assert can(p.p_staff, "view", a_task)  # the province oversees both counties, reviewing its own
    client = login(p.a_staff)
    assert client.get(reverse("tasks:detail", args=[a_task.pk])).status_code == 200
    client = login(p.b_staff)
    assert client.get(reverse("tasks:detail", args=[a_task.pk])).status_code == 404


def test_the_bulk_loader_assigns_the_reviewers_generation_does(province):
    p = province
    load_default_lists(2026)  # the loader publishes them; two of them reviewed by the county here
    Checklist.objects.filter(year=2026, level__in=("village", "town"), bearer="discipline").update(review_by="county")
    orgs = (p.a, p.a_town, p.a_village, p.b, p.b_town, p.b_village)
    planned = {  # what generation would create, planned before anything is loaded
        (checklist.pk, org.pk): {t.review_org_id for t in plan_checklist(
            checklist, include_past=True, orgs=[org], ignore_status=True).rows}
        for checklist in Checklist.objects.filter(year=2026).exclude(bearer="member")
        for org in orgs if org.kind == checklist.level
    }
    assert len(planned) == 3 * 3 * 2 and all(planned.values())  # 3 levels × 3 bearers × 2 counties
    assert bulkload.load(p.root, years=1, say=lambda *a: None) > 0
    for (checklist_pk, org_pk), reviewers in planned.items():
        checklist = Checklist.objects.get(pk=checklist_pk)
        loaded = set(_tasks(checklist).filter(org_id=org_pk).values_list("review_org", flat=True))
        assert loaded == reviewers, (checklist.level, checklist.bearer, checklist.review_by, org_pk)
    village = Checklist.objects.get(year=2026, level="village", bearer="discipline")
    assert set(_tasks(village).values_list("org", "review_org").distinct()) == {(p.a_village.pk, p.a.pk), (p.b_village.pk, p.b.pk)}
    county = Checklist.objects.get(year=2026, level="county", bearer="committee")
    assert set(_tasks(county).values_list("org", "review_org").distinct()) == {(p.a.pk, p.a.pk), (p.b.pk, p.b.pk)}
