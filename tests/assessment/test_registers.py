"""问责 records and the 廉政风险点 register: who sees what, bad input refused with
nothing written, every write audited."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import AuditEvent
from assessment import registers
from assessment.models import Accountability, RiskPoint

pytestmark = pytest.mark.django_db


def record(c, org, **over):
    kw = dict(org=org, target="org", measure="org_notice", reason="整改不力", decided_on=date(2026, 10, 1),
              decided_by="县纪委常委会")
    kw.update(over)
    return registers.add_accountability(c.staff, **kw)


def test_accountability_is_seen_by_staff_and_the_orgs_secretaries_only(county, client):
    c = county
    rec = record(c, c.v11, reason="东村问责事由")
    assert AuditEvent.objects.filter(action="assessment.accountability_added", object_id=str(rec.pk)).exists()
    url = reverse("assessment:accountability")
    for user, sees in [(c.staff, True), (c.v11_disc, True), (c.v11_party, True), (c.t1_disc, True),
                       (c.v11_clerk, False), (c.t1_member, False), (c.t2_disc, False), (c.nobody, False)]:
        client.force_login(user)
        assert ("东村问责事由" in client.get(url).content.decode()) is sees, user.username


def test_one_case_two_investigations(county):
    c = county
    direct = record(c, c.v11, target="person", person=c.v11_clerk, measure="person_discipline", duty="direct")
    main = record(c, c.v11, target="person", person=c.v11_party, measure="person_admonish", duty="main", direct_case=direct)
    sup = record(c, c.v11, target="person", person=c.v11_disc, measure="person_notice", duty="supervisory", direct_case=direct)
    assert set(direct.traced.all()) == {main, sup}


@pytest.mark.parametrize("over,field", [
    (dict(reason="  "), "reason"),
    (dict(decided_by=""), "decided_by"),
    (dict(target="person", person=None, measure="person_notice"), "person"),
    (dict(target="person", measure="org_notice"), "measure"),
    (dict(target="org", measure="person_discipline"), "measure"),
])
def test_accountability_bad_input(county, over, field):
    c = county
    if over.get("target") == "person" and "person" not in over:
        over["person"] = c.v11_party
    with pytest.raises(ValidationError) as e:
        record(c, c.v11, **over)
    assert field in e.value.error_dict
    assert not Accountability.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="assessment.").exists()


def test_person_outside_scope_is_refused(county):
    """A town's managers cannot hold a person of another town accountable (grant staff-like manage on town1 only)."""
    from accounts.models import Membership

    c = county
    Membership.objects.create(user=c.nobody, org=c.town1, role="commission_staff", start_date=date(2020, 1, 1))
    from accounts.services import sync_grants

    sync_grants(c.nobody)
    with pytest.raises(ValidationError) as e:
        registers.add_accountability(c.nobody, org=c.town1, target="person", person=c.v21_disc, measure="person_notice",
                                     reason="x", decided_on=date(2026, 1, 1), decided_by="县纪委")
    assert "person" in e.value.error_dict
    with pytest.raises(PermissionDenied):
        registers.add_accountability(c.nobody, org=c.town2, target="org", measure="org_notice",
                                     reason="x", decided_on=date(2026, 1, 1), decided_by="县纪委")
    assert not Accountability.objects.exists()


def test_risk_points_scope_and_bad_input(county, client):
    c = county
    client.force_login(c.t1_party)
    r = client.post(reverse("assessment:risk_create"), {"org": c.town1.pk, "post": "财务", "description": "资金审批",
                                                        "level": "high", "controls": "双人审批", "owner": "张三"})
    assert r.status_code == 302
    rp = RiskPoint.objects.get()
    assert AuditEvent.objects.filter(action="assessment.risk_point_added", object_id=str(rp.pk)).exists()
    r = client.post(reverse("assessment:risk_create"), {"org": c.town1.pk, "post": "", "description": "x",
                                                        "level": "high", "controls": "", "owner": "张三"})
    assert r.status_code == 400 and RiskPoint.objects.count() == 1
    # a village officer may not add for the town above
    client.force_login(c.v11_clerk)
    r = client.post(reverse("assessment:risk_create"), {"org": c.town1.pk, "post": "p", "description": "d",
                                                        "level": "low", "controls": "c", "owner": "o"})
    assert r.status_code == 400 and RiskPoint.objects.count() == 1
    client.force_login(c.t2_disc)
    assert "资金审批" not in client.get(reverse("assessment:risks")).content.decode()
    client.force_login(c.v11_clerk)
    assert "资金审批" not in client.get(reverse("assessment:risks")).content.decode()  # the town above is not in a village's view
    client.force_login(c.t1_member)
    assert "资金审批" in client.get(reverse("assessment:risks")).content.decode()


def test_yearly_risk_review_is_one_task_per_org_reviewed_by_the_level_above(county, client):
    from tasks.models import Task

    from assessment.risk_reviews import ensure_risk_reviews

    c = county
    for org in (c.town1, c.v11, c.v11):
        RiskPoint.objects.create(org=org, post="财务", description="资金", level="high", controls="双签", owner="张三",
                                 created_by=c.staff)
    assert ensure_risk_reviews(2026) == 2
    assert ensure_risk_reviews(2026) == 0                      # exactly once
    tasks = {t.org_id: t for t in Task.objects.filter(kind="risk_review")}
    assert tasks[c.v11.pk].review_org_id == c.town1.pk
    assert tasks[c.town1.pk].review_org_id == c.county.pk
    assert tasks[c.v11.pk].due_date == date(2026, 12, 20) and tasks[c.v11.pk].title.startswith("年度")
    Task.objects.filter(pk=tasks[c.v11.pk].pk).update(status="approved", completed_on=date(2026, 12, 1),
                                                       approved_on=date(2026, 12, 2))
    client.force_login(c.v11_clerk)
    assert "2026年12月2日" in client.get(reverse("assessment:risks")).content.decode()


def test_accountability_links_a_task_in_scope_only(county, client):
    from django.contrib.contenttypes.models import ContentType

    from tasks.models import Task

    c = county
    ct = ContentType.objects.get_for_model(type(c.v11))

    def task(org):
        return Task.objects.create(org=org, source_type=ct, source_id=org.pk, period_start=date(2026, 1, 1),
                                   period_end=date(2026, 3, 31), period_label="2026Q1", due_date=date(2026, 3, 31),
                                   original_due_date=date(2026, 3, 31), title="季度报告")
    mine, other = task(c.v11), task(c.v21)
    from accounts.models import Membership

    Membership.objects.create(user=c.nobody, org=c.town1, role="commission_staff", start_date=date(2020, 1, 1))
    client.force_login(c.nobody)
    data = {"org": c.v11.pk, "target": "org", "measure": "org_notice", "duty": "direct", "reason": "逾期未报",
            "decided_on": "2026-05-01", "decided_by": "镇纪委"}
    r = client.post(reverse("assessment:accountability_create"), {**data, "task": other.pk})
    assert r.status_code == 400 and not Accountability.objects.exists()
    r = client.post(reverse("assessment:accountability_create"), {**data, "task": mine.pk})
    assert r.status_code == 302
    assert Accountability.objects.get().task == mine


def test_the_task_is_picked_by_title_unit_or_period_within_the_unit(county, client):
    """The 问责 form's task is found by name, never typed as a number: the picker offers the tasks
    of the unit held accountable and the units below it; a forged POST naming another unit's
    task is refused with a clear message, and so is the service called directly."""
    import json

    from django.contrib.contenttypes.models import ContentType

    from tasks.models import Task

    c = county
    ct = ContentType.objects.get_for_model(type(c.v11))

    def task(org, title, label="2026年第一季度"):
        return Task.objects.create(org=org, source_type=ct, source_id=org.pk, period_start=date(2026, 1, 1),
                                   period_end=date(2026, 3, 31), period_label=label, due_date=date(2026, 3, 31),
                                   original_due_date=date(2026, 3, 31), title=title)

    town, village, other = task(c.town1, "镇党委主体责任报告"), task(c.v11, "村务公开"), task(c.v21, "村务公开")
    client.force_login(c.staff)

    def offers(**params):
        r = client.get(reverse("accounts:pick", kwargs={"kind": "task"}), params)
        assert r.status_code == 200
        return [o["text"] for o in json.loads(r.content)["results"]]

    assert offers(org=c.town1.pk, q="村务") == ["村务公开 · 东村 · 城关镇 · 2026年第一季度"]  # not 南村's
    assert offers(org=c.town1.pk, q="东村") == ["村务公开 · 东村 · 城关镇 · 2026年第一季度"]
    assert len(offers(org=c.town1.pk, q="第一季度")) == 2
    assert offers(org=c.v11.pk) == ["村务公开 · 东村 · 城关镇 · 2026年第一季度"]
    client.force_login(c.t1_party)  # manages nothing
    assert client.get(reverse("accounts:pick", kwargs={"kind": "task"})).status_code == 403

    client.force_login(c.staff)
    data = {"org": c.v11.pk, "target": "org", "measure": "org_notice", "duty": "direct", "reason": "逾期未报",
            "decided_on": "2026-05-01", "decided_by": "县纪委"}
    for forged in (other.pk, town.pk):  # another town's village; the unit above
        r = client.post(reverse("assessment:accountability_create"), {**data, "task": forged})
        assert r.status_code == 400 and "此处不能选择该任务" in r.content.decode()
    r = client.post(reverse("assessment:accountability_create"), {**data, "task": "12abc"})
    assert r.status_code == 400
    assert not Accountability.objects.exists()
    with pytest.raises(ValidationError) as e:
        registers.add_accountability(c.staff, org=c.v11, target="org", measure="org_notice", reason="x",
                                     decided_on=date(2026, 5, 1), decided_by="县纪委", task=other)
    assert "下级单位" in str(e.value.message_dict["task"]) and not Accountability.objects.exists()
    r = client.post(reverse("assessment:accountability_create"), {**data, "task": village.pk})
    assert r.status_code == 302 and Accountability.objects.get().task == village
    html = client.get(reverse("assessment:accountability_create")).content.decode()
    assert 'data-picker="/accounts/pick/task/"' in html and 'name="task" type="number"' not in html
