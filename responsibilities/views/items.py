from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.scope import get_visible_or_404

from .. import services
from ..forms import ItemForm, OptOutForm
from ..models import Checklist, ItemOptOut
from .common import add_errors, editor, get_item, get_list


def _editable(request, checklist):
    if checklist.status == Checklist.Status.ARCHIVED:
        messages.error(request, _("An archived list cannot be edited."))
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request, pk):
    checklist = get_list(request, pk, write=True)
    if not _editable(request, checklist):
        return redirect("responsibilities:detail", pk=checklist.pk)
    form = ItemForm(request.POST if request.method == "POST" else None, checklist=checklist)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "lock_version"}
        try:
            item, created = services.add_item(checklist, request.user, **data)
        except ValidationError as e:
            add_errors(form, e)
        else:
            msg = _("Item %(seq)s added.") % {"seq": item.seq}
            if checklist.status == Checklist.Status.PUBLISHED:
                msg += " " + _("%(n)s tasks created for periods due from today.") % {"n": created}
            messages.success(request, msg)
            return redirect("responsibilities:detail", pk=checklist.pk)
    return render(request, "responsibilities/item_form.html", {"form": form, "checklist": checklist},
                  status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    item = get_item(request, pk, write=True)
    checklist = item.checklist
    if not _editable(request, checklist):
        return redirect("responsibilities:detail", pk=checklist.pk)
    form = ItemForm(request.POST if request.method == "POST" else None, instance=item, checklist=checklist)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "lock_version"}
        try:
            _item, updated = services.update_item(item, request.user, lock_version=form.cleaned_data["lock_version"] or 0, **data)
        except services.Conflict as e:
            form.add_error(None, e.messages)
            return render(request, "responsibilities/item_form.html",
                          {"form": form, "checklist": checklist, "item": item, "conflict": True}, status=409)
        except ValidationError as e:
            add_errors(form, e)
        else:
            msg = _("Item %(seq)s saved.") % {"seq": _item.seq}
            if checklist.status == Checklist.Status.PUBLISHED:
                msg += " " + _("%(n)s tasks not yet started now show the new text; past periods keep theirs.") % {"n": updated}
            messages.success(request, msg)
            return redirect("responsibilities:detail", pk=checklist.pk)
    return render(request, "responsibilities/item_form.html", {"form": form, "checklist": checklist, "item": item},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def item_move(request, pk, direction):
    item = get_item(request, pk, write=True)
    if direction not in ("up", "down"):
        raise Http404
    try:
        services.move_item(item, request.user, direction)
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
    if request.htmx:
        checklist = item.checklist
        items = list(checklist.items.annotate(optout_count=Count("opt_outs", filter=Q(opt_outs__is_active=True))).order_by("seq"))
        return render(request, "responsibilities/_items.html", {"checklist": checklist, "items": items, "editor": True})
    return redirect("responsibilities:detail", pk=item.checklist_id)


@login_required
@require_POST
def item_toggle(request, pk):
    item = get_item(request, pk, write=True)
    active = request.POST.get("active") == "1"
    try:
        n = services.set_item_active(item, request.user, active)
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
    else:
        if active:
            messages.success(request, _("Item %(seq)s switched on again (%(n)s tasks reopened or created).") % {"seq": item.seq, "n": n})
        else:
            messages.success(request, _("Item %(seq)s switched off (%(n)s open tasks not yet due cancelled).") % {"seq": item.seq, "n": n})
    return redirect("responsibilities:detail", pk=item.checklist_id)


@login_required
@require_http_methods(["GET", "POST"])
def optouts(request, pk):
    item = get_item(request, pk, write=request.method == "POST")
    is_editor = editor(request)
    rows = (
        ItemOptOut.objects.restrict(request.user, "view").filter(item=item)
        .select_related("org", "created_by", "ended_by").order_by("-is_active", "org__path")
    )
    form = None
    if is_editor:
        form = OptOutForm(request.POST if request.method == "POST" else None, user=request.user, level=item.checklist.level)
        if request.method == "POST" and form.is_valid():
            try:
                _opt, cancelled = services.add_opt_out(item, form.cleaned_data["org"], request.user, form.cleaned_data["reason"])
            except ValidationError as e:
                add_errors(form, e)
            else:
                messages.success(request, _("Item switched off for %(org)s; %(n)s open tasks cancelled.")
                                 % {"org": form.cleaned_data["org"], "n": cancelled})
                return redirect("responsibilities:optouts", pk=item.pk)
    return render(request, "responsibilities/optouts.html", {
        "item": item, "checklist": item.checklist, "rows": rows, "form": form, "editor": is_editor,
    }, status=400 if form is not None and form.errors else 200)


@login_required
@require_POST
def optout_end(request, pk):
    opt = get_visible_or_404(ItemOptOut.objects.select_related("item"), request.user, pk=pk)
    item = get_item(request, opt.item_id, write=True)
    n = services.end_opt_out(opt, request.user)
    messages.success(request, _("The item applies to %(org)s again (%(n)s tasks reopened or created).") % {"org": opt.org, "n": n})
    return redirect("responsibilities:optouts", pk=item.pk)
