"""``tasks:list``: the filtered task list — the dashboard's drill-down and county
staff's search. Always scoped by ``visible_to(user, "view")``; 50 a page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from accounts.scope import visible_to

from .filters import TaskFilter
from .models import Task
from .warnings import colour_expression

PAGE_SIZE = 50


@login_required
def task_list(request):
    base = Task.objects.filter(org__in=visible_to(request.user, "view"))
    f = TaskFilter(request.GET or None, queryset=base, request=request)
    qs = f.qs if f.is_bound else base
    if f.is_bound and not f.is_valid():
        qs = base.none()
    as_of = f.as_of_date() if f.is_bound and f.is_valid() else timezone.localdate()
    total = qs.count()
    rows = qs.select_related("org").annotate(colour=colour_expression(as_of)).only(
        "id", "title", "status", "due_date", "completed_on", "period_label", "org__name", "org__code"
    ).order_by("due_date", "id")
    paginator = Paginator(rows, PAGE_SIZE)
    paginator.count = total  # already counted once
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "tasks/list.html", {
        "filter": f, "page": page, "total": total, "as_of": as_of, "querystring": params.urlencode(),
    })
