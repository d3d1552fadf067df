"""``tasks:list``: the filtered task list — the dashboard's drill-down and county
staff's search. Always scoped by ``Task.objects.restrict(user, "view")``, the rule the task
page follows too; 50 a page."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.pickers import PickerSelect
from accounts.scope import can, scope_roots

from . import tally
from .filters import TaskFilter
from .models import Task
from .warnings import colour_of

PAGE_SIZE = 50
# the list counts its rows up to this many and beyond says "10000+": a province's scope holds
# millions of tasks, and counting them all on every page view would cost more than the page
COUNT_LIMIT = 10_000
# the fields of a row of a task list (this page, the API's task lists), read in one query
ROW_FIELDS = ("id", "title", "status", "due_date", "completed_on", "approved_on", "period_label", "org_id", "org__name",
              "org__code")
_UNBOUND_FIELDS: dict[str, str] = {}  # language → the empty filter form's fields (same for everyone)


def filter_fields_html(f, lang) -> str:
    """The filter form's fields. Django renders every widget and option through templates
    (~60 includes); the unbound form is the same HTML for every user, so it is rendered once
    per language and process (``f`` is None when it is cached already)."""
    if f is not None and f.is_bound:
        return render_to_string("tasks/_list_filter_fields.html", {"filter": f})
    if lang not in _UNBOUND_FIELDS:
        _UNBOUND_FIELDS[lang] = render_to_string("tasks/_list_filter_fields.html", {"filter": f})
    return _UNBOUND_FIELDS[lang]


def list_rows(qs, few: bool = False):
    """``qs`` as the rows of a task list: the row fields with the org's, in due-date order.

    ``few``: ``qs`` is known to hold at most COUNT_LIMIT rows. A page of many rows is best read
    by walking the (due_date, id) index until 50 match; a page of a few thousand rows among
    millions (a town's tasks in a province) is best read by collecting those rows through the
    org indexes and sorting them, since the walk would pass most of the table first. PostgreSQL
    cannot tell the two apart well, so for ``few`` the order is written as an expression the
    index does not serve (due_date is never null: the same order)."""
    first = Coalesce("due_date", Value(date.min)) if few else "due_date"
    return qs.select_related("org").only(*ROW_FIELDS).order_by(first, "id")


def capped_count(qs, limit: int | None = None) -> tuple[int, bool]:
    """(how many rows ``qs`` has, at most ``limit`` (COUNT_LIMIT); whether it has more)."""
    limit = limit or COUNT_LIMIT
    n = qs.order_by().values("pk")[: limit + 1].count()
    return min(n, limit), n > limit


def rows_at_least(user, f) -> int:
    """A lower bound of the list's rows known without reading its tasks, for a list filtered by
    nothing but a unit: the list holds every task below the top-most units of the reader's view
    reach (within that unit), and the kept counts say how many those are (tasks.tally). When it
    passes COUNT_LIMIT the capped count is known as well, and a county in a province need not
    gather 10,001 of its tasks from the org indexes on every page view. 0: not known."""
    if not tally.available():
        return 0
    org = None
    if f is not None and f.is_bound:
        if not f.is_valid() or any(v not in (None, "") for k, v in f.form.cleaned_data.items() if k not in ("org", "as_of")):
            return 0
        org = getattr(f, "org_unit", None)
        if f.form.cleaned_data.get("org") and org is None:
            return 0
    if org is not None and can(user, "view", org):
        roots = [org]  # the view reach holds whole subtrees
    else:
        roots = [r for r in scope_roots(user, "view") if org is None or r.path.startswith(org.path)]
    return tally.tasks_below(r.path for r in roots)


class CountedPaginator(Paginator):
    """A paginator told its count (``counted_rows``' capped count): the rows are not counted again,
    and the pages reach as far as the count."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.count = count


def counted_rows(user, f, qs) -> tuple:
    """A task list's rows in order and its count, capped at COUNT_LIMIT: (rows, total, more).
    The page and the API's task list both read their tasks through it."""
    total, more = (COUNT_LIMIT, True) if rows_at_least(user, f) > COUNT_LIMIT else capped_count(qs)
    return list_rows(qs, few=not more), total, more


def coloured(tasks, as_of) -> list:
    """The rows with their warning colour as of ``as_of`` (``tasks.warnings.colour_of``)."""
    tasks = list(tasks)
    for t in tasks:
        t.colour = colour_of(t, as_of)
    return tasks


@login_required
def task_list(request):
    base = Task.objects.restrict(request.user, "view")
    lang = translation.get_language() or ""
    # unbound, once the empty form's HTML is cached, no FilterSet is needed (its form copies every field)
    f = TaskFilter(request.GET or None, queryset=base, request=request) if request.GET or lang not in _UNBOUND_FIELDS else None
    bound = f is not None and f.is_bound
    qs = f.qs if bound else base
    if bound and not f.is_valid():
        qs = base.none()
    as_of = f.as_of_date() if bound and f.is_valid() else timezone.localdate()
    rows, total, more = counted_rows(request.user, f, qs)
    page = CountedPaginator(rows, PAGE_SIZE, count=total).get_page(request.GET.get("page"))
    tasks = coloured(page.object_list, as_of)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "tasks/list.html", {
        "filter": f, "filter_fields": filter_fields_html(f, lang), "filter_open": not bound or bool(f.errors), "page": page, "total": total, "more": more, "as_of": as_of,
        "querystring": params.urlencode(), "tasks": tasks, "summary": f.summary() if bound else [],
        "picker_media": PickerSelect("org").media,
    })

