"""The holiday calendar and on-demand dispatch (即时发布)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import OrgUnit
from accounts.params import query_id, query_year

from .. import services
from ..choices import HolidayName
from ..dispatch import dispatch_event, dispatchable_items
from ..forms import DispatchForm, HolidayForm
from ..models import EventDispatch, Holiday
from .common import add_errors, editor, editor_required


@login_required
@require_http_methods(["GET", "POST"])
def holidays(request):
    this_year = timezone.localdate().year
    year = query_year(request.POST.get("year") or request.GET.get("year"), this_year)
    is_editor = editor(request)
    if request.method == "POST" and not is_editor:
        raise PermissionDenied
    rows = {h.name: h for h in Holiday.objects.filter(year=year)}
    form = None
    if is_editor:
        initial = {name: h.date for name, h in rows.items()}
        form = HolidayForm(request.POST if request.method == "POST" else None, year=year, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                moved = services.save_holidays(year, dict(form.cleaned_data), request.user)
            except ValidationError as e:
                add_errors(form, e)
            else:
                messages.success(request, _("The %(year)s holidays were saved (%(n)s tasks not yet started moved to the new dates).")
                                 % {"year": year, "n": moved})
                return redirect(f"{reverse('responsibilities:holidays')}?year={year}")
    years = sorted(set(Holiday.objects.values_list("year", flat=True)) | {this_year, this_year + 1})
    calendar = [(code, label, rows.get(code)) for code, label in HolidayName.choices]
    return render(request, "responsibilities/holidays.html", {
        "year": year, "years": years, "calendar": calendar, "form": form, "editor": is_editor,
        "missing": [label for code, label, row in calendar if row is None],
    }, status=400 if form is not None and form.errors else 200)


def _targets(request, level):
    orgs = OrgUnit.objects.restrict(request.user, "manage").filter(kind=level, is_active=True).order_by("path")
    parent_paths = {o.path[: -OrgUnit.steplen] for o in orgs if o.depth > 1}
    groups = OrgUnit.objects.filter(path__in=parent_paths).exclude(kind=level).order_by("path") if parent_paths else OrgUnit.objects.none()
    return orgs, groups


@editor_required
@require_http_methods(["GET", "POST"])
def dispatch(request):
    items = dispatchable_items().order_by("checklist__level", "checklist__bearer", "seq")
    item_id = query_id(request.POST.get("item") or request.GET.get("item"))
    item = items.filter(pk=item_id).first() if item_id else None
    orgs = groups = OrgUnit.objects.none()
    if item is not None:
        orgs, groups = _targets(request, item.checklist.level)
    form = DispatchForm(request.POST if request.method == "POST" else None, items=items, orgs=orgs, groups=groups, initial={"item": item})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = set(data["orgs"])
        if data["everyone"]:
            chosen |= set(orgs)
        if data["groups"]:
            under = Q()
            for g in data["groups"]:
                under |= Q(path__startswith=g.path)
            chosen |= set(orgs.filter(under))
        try:
            result = dispatch_event(
                item=data["item"], orgs=chosen, due_date=data["due_date"], user=request.user,
                token=data["token"], title=data["title"], note=data["note"],
            )
        except ValidationError as e:
            add_errors(form, e)
        else:
            if result.repeated:
                messages.info(request, _("This dispatch was already sent; nothing new was created."))
            else:
                messages.success(request, _("Dispatched: %(n)s tasks created.") % {"n": result.created})
                if result.skipped_opted_out:
                    messages.warning(request, _("Skipped (item switched off there): %(orgs)s")
                                     % {"orgs": "、".join(o.name for o in result.skipped_opted_out)})
            return redirect("responsibilities:dispatch")
    org_rows = []
    for g in list(groups) or [None]:
        members = [o for o in orgs if g is None or o.path.startswith(g.path)]
        if members:
            org_rows.append({"group": g, "orgs": members})
    recent = EventDispatch.objects.select_related("item__checklist", "created_by")[:20]
    return render(request, "responsibilities/dispatch.html", {
        "form": form, "item": item, "org_rows": org_rows, "recent": recent, "items": items,
        "selected": {str(o) for o in (form["orgs"].value() or [])},
        "selected_groups": {str(o) for o in (form["groups"].value() or [])},
    }, status=400 if form.errors else 200)
