from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.params import query_year

from .. import services
from ..choices import Level
from ..forms import ChecklistForm, CopyYearForm, PublishForm, YearForm
from ..loading import load_default_lists
from ..models import Checklist
from .common import add_errors, editor, editor_required, get_list, visible_lists


@login_required
def index(request):
    lists = visible_lists(request)
    years = sorted(set(lists.values_list("year", flat=True)), reverse=True)
    this_year = timezone.localdate().year
    year = query_year(request.GET.get("year"), this_year if this_year in years or not years else years[0])
    rows = list(
        lists.filter(year=year)
        .annotate(
            item_count=Count("items", filter=Q(items__is_active=True)),
            reconstructed=Count("items", filter=Q(items__is_active=True, items__is_reconstructed=True)),
        )
        .order_by("level", "bearer")
    )
    order = [c for c, _ in Level.choices]
    groups = []
    for level, label in Level.choices:
        mine = [c for c in rows if c.level == level]
        if mine:
            groups.append({"level": level, "label": label, "lists": mine})
    groups.sort(key=lambda g: order.index(g["level"]))
    return render(request, "responsibilities/index.html", {
        "year": year, "years": years or [this_year], "groups": groups, "editor": editor(request),
        "copy_form": CopyYearForm(), "year_form": YearForm(),
    })


@login_required
def detail(request, pk):
    checklist = get_list(request, pk)
    items = list(
        checklist.items.annotate(optout_count=Count("opt_outs", filter=Q(opt_outs__is_active=True))).order_by("seq")
    )
    context = {
        "checklist": checklist, "items": items, "editor": editor(request),
        "reconstructed": sum(1 for i in items if i.is_reconstructed and i.is_active),
        "total_points": sum(i.points for i in items if i.is_active),
    }
    if request.htmx and request.GET.get("part") == "items":
        return render(request, "responsibilities/_items.html", context)
    return render(request, "responsibilities/detail.html", context)


@editor_required
@require_http_methods(["GET", "POST"])
def list_create(request):
    form = ChecklistForm(request.POST if request.method == "POST" else None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            checklist = services.create_checklist(request.user, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("The list was created. Add its items."))
            return redirect("responsibilities:detail", pk=checklist.pk)
    return render(request, "responsibilities/list_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def list_edit(request, pk):
    checklist = get_list(request, pk, write=True)
    form = ChecklistForm(request.POST if request.method == "POST" else None, instance=Checklist.objects.get(pk=checklist.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_checklist(checklist, request.user, **form.cleaned_data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("The list was saved."))
            return redirect("responsibilities:detail", pk=checklist.pk)
    return render(request, "responsibilities/list_form.html", {"form": form, "checklist": checklist},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, pk):
    checklist = get_list(request, pk, write=True)
    form = PublishForm(request.POST) if request.method == "POST" else PublishForm(request.GET or None)
    include_past = form.is_valid() and form.cleaned_data["include_past"]
    if request.method == "POST" and form.is_valid():
        try:
            result = services.publish(checklist, request.user, include_past=include_past)
        except ValidationError as e:
            for m in e.messages:
                messages.error(request, m)
            return redirect("responsibilities:publish", pk=checklist.pk)
        if result.already:
            messages.info(request, _("The list was already published; nothing changed."))
        else:
            messages.success(request, _("Published: %(tasks)s tasks created for %(orgs)s organisations.")
                             % {"tasks": result.created, "orgs": result.org_count})
            for item, labels in result.skipped:
                messages.warning(request, _("Item %(seq)s: no task for %(periods)s — the due date had passed.")
                                 % {"seq": item.seq, "periods": "、".join(labels)})
        return redirect("responsibilities:detail", pk=checklist.pk)
    problems = services.publish_errors(checklist) if checklist.status == Checklist.Status.DRAFT else []
    result = services.preview(checklist, include_past) if checklist.status == Checklist.Status.DRAFT and not problems else None
    return render(request, "responsibilities/publish.html", {
        "checklist": checklist, "form": form, "problems": problems, "preview": result,
    })


@login_required
@require_POST
def archive(request, pk):
    checklist = get_list(request, pk, write=True)
    cancelled = services.archive(checklist, request.user)
    messages.success(request, _("The list was archived; %(n)s open tasks not yet due were cancelled.") % {"n": cancelled})
    return redirect("responsibilities:detail", pk=checklist.pk)


@editor_required
@require_http_methods(["GET", "POST"])
def copy_year(request):
    form = CopyYearForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            created, skipped = services.copy_year(form.cleaned_data["from_year"], form.cleaned_data["to_year"], request.user)
        except ValidationError as e:
            add_errors(form, e)
        else:
            messages.success(request, _("%(n)s lists copied as drafts.") % {"n": len(created)})
            if skipped:
                messages.info(request, _("%(n)s lists already existed in that year and were left as they are.") % {"n": len(skipped)})
            return redirect(f"{_index_url()}?year={form.cleaned_data['to_year']}")
    return render(request, "responsibilities/copy_year.html", {"form": form}, status=400 if form.errors else 200)


@editor_required
@require_POST
def load_defaults(request):
    form = YearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a year between 2000 and 2100."))
        return redirect("responsibilities:index")
    year = form.cleaned_data["year"]
    loaded = load_default_lists(year)
    messages.success(request, _("Shipped defaults for %(year)s: %(lists)s lists and %(holidays)s holidays added.")
                     % {"year": year, "lists": loaded.lists, "holidays": loaded.holidays})
    return redirect(f"{_index_url()}?year={year}")


def _index_url():
    return reverse("responsibilities:index")

