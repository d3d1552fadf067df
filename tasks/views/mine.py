"""我的任务 (each person's work, grouped by warning colour) and the party secretary's progress page."""

from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Subquery
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, OrgUnit
from accounts.params import query_id, query_year
from accounts.roles import Role
from accounts.scope import reaches, scope_roots

from .. import queue
from ..models import Task
from ..progress import colour_counts
from ..warnings import DUE_SOON, LOOKS, Colour, colour_of

# which bearers' tasks a role answers for at its org (None: all of the org's tasks)
ROLE_BEARERS = {
    Role.DISCIPLINE_SECRETARY: ("discipline", ""),
    Role.PARTY_SECRETARY: ("secretary", "committee", ""),
    Role.CLERK: None,
}
GROUP_ORDER = (Colour.RED, Colour.YELLOW, Colour.BLUE, Colour.LATE, Colour.GREEN)
MINE_LIMIT = 300
RECENT_DAYS = 60


def current_memberships(user) -> list[tuple[int, str]]:
    return list(Membership.objects.filter(user=user).current().values_list("org_id", "role"))


def mine_q(user, memberships=None) -> Q:
    """Tasks the person bears (assigned to them) or their org owes for one of their roles.
    A 班子成员 gets only the 一岗双责 items assigned to them."""
    q = Q(assignee=user)
    for org_id, role in current_memberships(user) if memberships is None else memberships:
        if role not in ROLE_BEARERS:
            continue
        cond = Q(org_id=org_id, assignee__isnull=True)
        if ROLE_BEARERS[role] is not None:
            cond &= Q(bearer__in=ROLE_BEARERS[role])
        q |= cond
    return q


def my_tasks(user, today: date, memberships=None):
    """This period first: everything still open or awaiting review, plus what was due recently.
    A task whose period has not begun is shown once it is due soon (yellow): a monthly item due
    on 5 January is reminded of on 31 December and must be found here that night.
    (No colour annotation: a page of at most MINE_LIMIT rows takes ``colour_of`` per row — the
    same rule in tasks.warnings — which costs less than building the CASE into the query.)"""
    return (
        Task.objects.restrict(user, "work")
        .filter(mine_q(user, memberships),
                Q(period_start__lte=today) | DUE_SOON.q(today))
        .exclude(status=Task.Status.CANCELLED)
        .filter(Q(status__in=(*Task.OPEN_STATUSES, Task.Status.SUBMITTED)) | Q(due_date__gte=today - timedelta(days=RECENT_DAYS)))
        .select_related("org")
        .order_by("due_date", "id")
    )


@login_required
def mine(request):
    today = timezone.localdate()
    memberships = current_memberships(request.user)
    reviewer = reaches(request.user, "review")
    from ..today import SHOWS, show_q

    show = SHOWS.get(request.GET.get("show") or "")
    qs = my_tasks(request.user, today, memberships)
    if show is not None:  # one of the home page's counts: exactly the tasks it counted
        qs = qs.filter(show_q(show.key, today))
    qs = qs.only(
        "id", "title", "status", "due_date", "completed_on", "approved_on", "period_label", "evidence_hint",
        "return_reason", "org__name")
    if reviewer:  # "awaiting my review" comes with the rows
        qs = qs.annotate(review_waiting=review_count_subquery(request.user))
    tasks = list(qs[:MINE_LIMIT])
    if not reviewer:
        n_review = 0
    elif tasks:
        n_review = tasks[0].review_waiting or 0
    else:
        n_review = queue.waiting(request.user).count()
    for t in tasks:
        t.colour = colour_of(t, today)
    groups = []
    for c in GROUP_ORDER:
        rows = [t for t in tasks if t.colour == c]
        rows.sort(key=lambda t: (t.status != Task.Status.RETURNED, t.due_date, t.id))
        if rows:
            groups.append({"colour": c, "look": LOOKS[c], "tasks": rows})
    return render(request, "tasks/mine.html", {
        "groups": groups, "count": len(tasks), "limited": len(tasks) >= MINE_LIMIT, "today": today,
        "review_count": n_review, "show": show,
    })


def review_count_subquery(user):
    """The same count as one value, to ride along another query on Task (no extra round trip)."""
    return Subquery(queue.waiting(user).order_by().values("status").annotate(n=Count("id")).values("n")[:1])


def _year_window(request, today):
    year = query_year(request.GET.get("year"), today.year)
    return year, date(year, 1, 1), date(year, 12, 31)


@login_required
def progress(request):
    """党组织书记: progress of their org and subtree, by org and by item, drilling down."""
    user = request.user
    today = timezone.localdate()
    year, start, end = _year_window(request, today)
    # the user's top-most orgs, the org asked for and its children: never the whole subtree
    scope = OrgUnit.objects.restrict(user, "view").only("id", "path", "depth", "numchild", "name", "kind", "code")
    roots = scope_roots(user, "view")
    root = roots[0] if roots else None
    if asked := request.GET.get("org"):  # an org code (an id: links made before codes were used)
        root = scope.filter(code=asked[:64]).first() or (scope.filter(pk=pk).first() if (pk := query_id(asked)) else None)
        if root is None:
            raise Http404
    ctx = {"roots": roots, "root": root, "year": year, "today": today, "by_org": [], "by_item": [], "colours": GROUP_ORDER}
    if root is None:
        return render(request, "tasks/progress.html", ctx)
    # every org under root is in the user's view scope (view reaches the subtree)
    children = list(scope.filter(path__startswith=root.path, depth=root.depth + 1))
    tallied = colour_counts(root, children, start, end, today, GROUP_ORDER)
    by_prefix, items = tallied.by_path, tallied.items
    for org_counts in by_prefix.values():
        org_counts["total"] = sum(org_counts[c] for c in GROUP_ORDER)
    orgs = {o.path: o for o in (root, *children)}
    list_url = reverse("tasks:list")
    # the same window as the dashboard's "All in the period" (every task due in the year, not
    # cancelled, as of today): the total links to that figure, each colour to its own list
    window = urlencode({"due_from": start.isoformat(), "due_to": end.isoformat(), "as_of": today.isoformat()})

    def cells(counts, params):
        """[(count, link to the list)] for each colour and the total (ints and colour codes
        need no quoting: the links are what urlencode would give, built without it per cell)."""
        head = f"{list_url}?{params}&"
        # counts as text (no number formatting per cell); a zero is not linked
        return ([(str(counts[c]), f"{head}colour={c}&{window}" if counts[c] else None) for c in GROUP_ORDER],
                f"{head}figure=in_period&{window}")

    for prefix, counts in sorted(by_prefix.items(), key=lambda kv: (-kv[1][Colour.RED], kv[0])):
        o = orgs.get(prefix)
        if o is None:
            continue
        own = o.pk == root.pk  # root's row counts its own tasks (本级), a child's its subtree
        colour_cells, total_link = cells(counts, urlencode({"org": o.code, **({"own": 1} if own else {})}))
        ctx["by_org"].append({
            "org": o, "counts": counts, "is_root": own,
            "drill": not own, "cells": colour_cells, "total_link": total_link,
        })
    for (st, sid), d in sorted(items.items(), key=lambda kv: (-kv[1]["counts"][Colour.RED], kv[1]["title"]))[:100]:
        d["counts"]["total"] = sum(d["counts"][c] for c in GROUP_ORDER)
        d["cells"], d["total_link"] = cells(d["counts"], urlencode({"org": root.code, "source_type": st, "source_id": sid}))
        ctx["by_item"].append(d)
    return render(request, "tasks/progress.html", ctx)
