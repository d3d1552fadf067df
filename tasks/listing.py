"""``tasks:list``: the filtered task list — the dashboard's drill-down and county
staff's search. Always scoped by ``Task.objects.restrict(user, "view")``, the rule the task
page follows too; 50 a page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.pickers import PickerSelect

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
ROW_ORDER = ("due_date", "id")
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


def list_rows(qs):
    """``qs`` as the rows of a task list: the row fields with the org's, in due-date order."""
    return qs.select_related("org").only(*ROW_FIELDS).order_by(*ROW_ORDER)


def capped_count(qs, limit: int | None = None) -> tuple[int, bool]:
    """(how many rows ``qs`` has, at most ``limit`` (COUNT_LIMIT); whether it has more)."""
    limit = limit or COUNT_LIMIT
    n = qs.order_by().values("pk")[: limit + 1].count()
    return min(n, limit), n > limit


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
    total, more = capped_count(qs)
    paginator = Paginator(list_rows(qs), PAGE_SIZE)
    paginator.count = total  # already counted once (the pages reach as far as the count)
    page = paginator.get_page(request.GET.get("page"))
    tasks = coloured(page.object_list, as_of)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "tasks/list.html", {
        "filter": f, "filter_fields": filter_fields_html(f, lang), "filter_open": not bound or bool(f.errors), "page": page, "total": total, "more": more, "as_of": as_of,
        "querystring": params.urlencode(), "tasks": tasks, "summary": f.summary() if bound else [],
        "picker_media": PickerSelect("org").media,
    })

