"""``tasks:list``: the filtered task list — the dashboard's drill-down and county
staff's search. Always scoped by ``visible_to(user, "view")``; 50 a page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from accounts.scope import visible_ids, visible_to

from .filters import TaskFilter
from .models import Task
from .warnings import colour_of

PAGE_SIZE = 50
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


@login_required
def task_list(request):
    # the scope as a literal id list (one small query): with the EXISTS subquery inline the
    # planner expects ~1 org, joins task by task and sorts the whole county before LIMIT 50;
    # with the ids it reads the (due_date, id) index in order and stops after one page. A user
    # who sees every org (county staff) needs no org filter at all.
    org_ids, everything = visible_ids(request.user, "view")
    base = Task.objects.all() if everything else Task.objects.filter(org_id__in=org_ids)
    lang = translation.get_language() or ""
    # unbound, once the empty form's HTML is cached, no FilterSet is needed (its form copies every field)
    f = TaskFilter(request.GET or None, queryset=base, request=request) if request.GET or lang not in _UNBOUND_FIELDS else None
    bound = f is not None and f.is_bound
    qs = f.qs if bound else base
    if bound and not f.is_valid():
        qs = base.none()
    as_of = f.as_of_date() if bound and f.is_valid() else timezone.localdate()
    # nothing filtered: count with the scope as a subquery (a count needs no order, and Django
    # builds and sends no list of hundreds of ids a second time)
    if bound:
        total = qs.count()
    else:
        total = (base if everything else Task.objects.filter(org__in=visible_to(request.user, "view"))).count()
    rows = qs.select_related("org").only(
        "id", "title", "status", "due_date", "completed_on", "approved_on", "period_label", "org__name", "org__code"
    ).order_by("due_date", "id")
    paginator = Paginator(rows, PAGE_SIZE)
    paginator.count = total  # already counted once
    page = paginator.get_page(request.GET.get("page"))
    rows_html = render_rows(page.object_list, as_of)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "tasks/list.html", {
        "filter": f, "filter_fields": filter_fields_html(f, lang), "filter_open": not bound or bool(f.errors), "page": page, "total": total, "as_of": as_of,
        "querystring": params.urlencode(), "rows_html": rows_html,
    })


# One list row. Written here rather than in the template: Django's template engine resolved
# ~12 variables per row, 600 a page, the largest cost of the page after the database
# (bench/tasks_pages.py). Every value goes through format_html's escaping.
ROW = (
    '<a href="{prefix}{pk}/" class="list-group-item list-group-item-action task-row qd-colour-{colour}" '
    'data-task="{pk}" data-colour="{colour}">'
    '<div class="d-flex justify-content-between gap-2"><div class="fw-semibold text-break">{title}</div>'
    '<span class="badge text-bg-light border flex-shrink-0">{status}</span></div>'
    '<div class="small text-muted text-break">{org} · {period} · {due_label} {due}{completed}</div></a>\n'
)


def render_rows(tasks, as_of) -> str:
    """The page's rows as HTML: colour by tasks.warnings' rule as of ``as_of``; status, org,
    period, due date and (if any) completion date."""
    labels = {value: str(label) for value, label in Task.Status.choices}
    prefix = reverse("tasks:detail", args=[0])[:-2]
    due_label, completed_label = gettext("due"), gettext("completed")
    out = []
    for t in tasks:
        completed = format_html(" · {} {}", completed_label, t.completed_on.isoformat()) if t.completed_on else ""
        out.append(format_html(
            ROW, prefix=prefix, pk=t.pk, colour=colour_of(t, as_of), title=t.title,
            status=labels.get(t.status, t.status), org=t.org.name, period=t.period_label, due_label=due_label,
            due=t.due_date.isoformat(), completed=completed,
        ))
    return mark_safe("".join(out))  # noqa: S308 — each part is format_html's output
