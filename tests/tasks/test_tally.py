"""The task counts (tasks.tally) stay equal to a recount of the tasks after every kind of
change tasks.services makes, and the dashboard summed from them equals a raw count."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from tasks import services, tally
from tasks.models import ItemTally, Task, TaskTally
from tests.clock import travel

from .conftest import make_task

pytestmark = pytest.mark.django_db


def exact():
    assert tally.verify() == {"TaskTally": 0, "ItemTally": 0}


@pytest.fixture
def tasks(county):
    today = timezone.localdate()
    out = [make_task(county.v11, due=today + timedelta(days=d)) for d in (-3, 2, 9)]
    out += [make_task(county.town1, due=today + timedelta(days=4)), make_task(county.v21, due=today - timedelta(days=1))]
    return out


def test_counts_follow_every_service_change(county, tasks):
    exact()
    assert TaskTally.objects.filter(node=county.town1.path).aggregate(n=Sum("n"))["n"] == 3  # the three village tasks, strictly below the town
    assert not TaskTally.objects.filter(node=county.v11.path).exists()  # a village has nothing below it
    t = tasks[0]
    services.submit(t, county.v11_clerk, note="谈话已开展")
    exact()
    services.return_task(t, county.t1_disc, "请补充记录")
    exact()
    t.refresh_from_db()
    services.submit(t, county.v11_clerk, note="已补充")
    exact()
    services.approve(t, county.t1_disc)
    exact()
    services.reopen(t, county.staff, "复核")
    exact()
    services.cancel(tasks[1], county.staff, "重复")
    exact()
    services.reassign(tasks[2], county.staff, county.v11_clerk)
    exact()
    ext = services.request_extension(tasks[2], county.v11_clerk, "汛期", tasks[2].due_date + timedelta(days=30))
    services.decide_extension(ext, county.t1_disc, True)
    exact()
    qs = Task.objects.filter(org=county.v11)
    assert services.cancel_tasks(qs, actor=county.staff, reason="撤销", cause="optout", ref=1)
    exact()
    assert services.restore_tasks(qs, actor=county.staff, cause="optout", ref=1)
    exact()
    assert services.update_tasks(qs, {"due_date": timezone.localdate() + timedelta(days=40)}, actor=county.staff)
    exact()
    created = services.create_tasks([Task(**{f.attname: getattr(tasks[3], f.attname) for f in Task._meta.concrete_fields
                                              if not f.primary_key} | {"source_id": 9_999_999})],
                                    actor=None, action="tasks.generated")
    assert created == 1
    exact()
    Task.objects.filter(pk=tasks[4].pk).delete()  # never by users; the counts follow a delete all the same
    exact()


def test_a_rolled_back_change_leaves_the_counts_as_they_were(county, tasks):
    before = sorted(TaskTally.objects.values_list("node", "status", "n"))
    with pytest.raises(services.Conflict):
        services.submit(tasks[0], county.v11_clerk, note="x", version=tasks[0].version + 5)
    assert sorted(TaskTally.objects.values_list("node", "status", "n")) == before
    exact()


def _dashboard_vs_raw(client, county, as_of=None):
    """The county dashboard's org table against one raw SQL count over the tasks."""
    from accounts.models import OrgUnit
    from reports.dashboard import compute, window_for
    from tasks.figures import FIGURES

    as_of = as_of or timezone.localdate()
    w = window_for(as_of.year, None, None, as_of)
    data = compute(county.county, w, OrgUnit.objects.all(), row_colours=True)
    page = compute(county.county, w, OrgUnit.objects.all())  # the page's rows hold no colours, its total does
    assert page["total"].counts == data["total"].counts
    assert [r.counts for r in page["rows"]] == [{k: r.counts[k] for k in FIGURES} for r in data["rows"]]
    with connection.cursor() as cur:
        cur.execute(
            "SELECT substr(o.path, 1, %s), count(*) FILTER (WHERE t.due_date < %s AND NOT (t.status IN ('submitted','approved') "
            "AND t.completed_on <= %s)), count(*) FILTER (WHERE t.due_date <= %s) FROM tasks_task t JOIN accounts_orgunit o "
            "ON o.id = t.org_id WHERE t.status <> 'cancelled' AND t.due_date BETWEEN %s AND %s GROUP BY 1",
            [county.county.path.__len__() + 4, as_of, as_of, w.due_until, w.start, w.end])
        raw = {p: (red, due) for p, red, due in cur.fetchall()}
    for row in data["rows"]:
        red, due = raw.get(row.org.path, (0, 0))
        assert (row.counts["colour_red"], row.counts["due"]) == (red, due), row.org.name
    return data


def test_colours_change_with_the_date_without_a_write(county, client, tasks):
    data = _dashboard_vs_raw(client, county)
    town = next(r for r in data["rows"] if r.org == county.town1)
    assert town.counts["colour_red"] == 1 and town.counts["colour_yellow"] == 2
    with travel(timezone.now() + timedelta(days=5)):
        data = _dashboard_vs_raw(client, county)
        town = next(r for r in data["rows"] if r.org == county.town1)
        assert town.counts["colour_red"] == 3  # two more overdue, nothing written
        assert town.counts["colour_yellow"] == 1
        services.submit(Task.objects.get(pk=tasks[2].pk), county.v11_clerk, note="按时完成")
        exact()
        data = _dashboard_vs_raw(client, county)
        assert next(r for r in data["rows"] if r.org == county.town1).counts["colour_blue"] == 1  # on time, awaiting review
    with travel(timezone.now() + timedelta(days=30)):
        _dashboard_vs_raw(client, county)


def test_rebuild_and_verify_command(county, tasks, capsys):
    call_command("tally")
    assert "TaskTally exact, ItemTally exact" in capsys.readouterr().out
    TaskTally.objects.filter(node=county.county.path).update(n=99)
    ItemTally.objects.filter(node=county.town1.path).delete()
    with pytest.raises(CommandError, match="differ"):
        call_command("tally")
    call_command("tally", "--rebuild")
    out = capsys.readouterr().out
    assert "rebuilt" in out and "TaskTally exact, ItemTally exact" in out
    exact()
