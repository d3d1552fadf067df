"""The progress page's counts: tasks due in a year and not cancelled, by warning colour as of
today — by org (root's own tasks; each child's whole subtree) and by item over root's subtree.

From the task counts (tasks.tally) when they answer for today, plus the own tasks of root and
of its children read as tasks; otherwise one scan of the year's tasks."""

from datetime import date

from django.db.models import BigIntegerField, Count, F, IntegerField, Max, Q, Sum
from django.db.models.functions import Substr

from accounts.models import OrgUnit

from . import tally
from .models import ItemTally, Task, TaskTally
from .warnings import colour_expression


class Counts:
    """``by_path``: {org path: {colour: n}} (root's path: its own tasks); ``items``:
    {(source type, source id): {"title", "counts": {colour: n}}}."""

    def __init__(self, colours):
        self.colours = colours
        self.by_path: dict[str, dict] = {}
        self.items: dict[tuple, dict] = {}

    def _zero(self):
        return {c: 0 for c in self.colours}

    def add_org(self, path, colour, n):
        if colour in self.colours:
            self.by_path.setdefault(path, self._zero())[colour] += n

    def add_item(self, key, title, colour, n):
        d = self.items.get(key)
        if d is None:
            d = self.items[key] = {"title": title, "counts": self._zero()}
        elif title > d["title"]:
            d["title"] = title
        if colour in self.colours:
            d["counts"][colour] += n


def _year(model, start: date, end: date):
    return model.objects.filter(due_date__gte=start, due_date__lte=end).exclude(status=Task.Status.CANCELLED)


def colour_counts(root, children, start: date, end: date, today: date, colours) -> Counts:
    out = Counts(colours)
    colour = colour_expression(today)
    if not tally.exact_for(today):
        # one scan for both tables: counts by (child org, item, colour), summed up here
        rows = (_year(Task, start, end).filter(org__path__startswith=root.path).annotate(colour=colour)
                .annotate(prefix=Substr("org__path", 1, (root.depth + 1) * OrgUnit.steplen))
                .values("prefix", "source_type_id", "source_id", "colour").annotate(count=Count("id"), top=Max("title")))
        for r in rows:
            out.add_org(r["prefix"], r["colour"], r["count"])
            out.add_item((r["source_type_id"], r["source_id"]), r["top"], r["colour"], r["count"])
        return out
    paths = {o.pk: o.path for o in (root, *children)}
    below = (_year(TaskTally, start, end).filter(node__in=[c.path for c in children]).annotate(colour=colour)
             .values("node", "colour").annotate(count=Sum("n")).order_by())
    for r in below:
        out.add_org(r["node"], r["colour"], r["count"])
    # by item for root's own tasks only: a child's own tasks are one group per colour
    is_root = Q(org_id=root.pk)
    own = (_year(Task, start, end).filter(org_id__in=list(paths)).annotate(colour=colour)
           .annotate(item_type=tally.only_for(is_root, F("source_type_id"), IntegerField()),
                     item_id=tally.only_for(is_root, F("source_id"), BigIntegerField()))
           .values("org_id", "item_type", "item_id", "colour").annotate(count=Count("id"), top=Max("title")).order_by())
    for r in own:
        out.add_org(paths[r["org_id"]], r["colour"], r["count"])
        if r["org_id"] == root.pk:
            out.add_item((r["item_type"], r["item_id"]), r["top"], r["colour"], r["count"])
    items = (_year(ItemTally, start, end).filter(node=root.path).annotate(colour=colour)
             .values("source_type_id", "source_id", "colour").annotate(count=Sum("n"), top=Max("title")).order_by())
    for r in items:
        out.add_item((r["source_type_id"], r["source_id"]), r["top"], r["colour"], r["count"])
    return out
