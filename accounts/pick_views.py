"""``accounts:pick``: the JSON search behind the pickers (accounts/pickers.py). Unknown kind →
404; a user who reaches the picker's action nowhere → 403; a narrowing unit (``?org=``)
outside the units the picker may be narrowed to → 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse

from .params import query_id
from .pickers import PICKERS
from .scope import require

MAX_QUERY = 50


@login_required
def pick(request, kind):
    picker = PICKERS.get(kind)
    if picker is None:
        raise Http404
    require(request.user, picker.action)
    params = {}
    if asked := request.GET.get("org"):  # the unit a dependent picker is narrowed to: its id or code
        units = picker.within(request.user)
        org = units.filter(pk=query_id(asked) or 0).first() or units.filter(code=asked[:32]).first()
        if org is None:
            raise Http404
        params["org"] = org.pk
    for name in picker.params:  # the picker's own narrowing (``?level=town``), read by its choices
        params[name] = request.GET.get(name, "")[:MAX_QUERY]
    q = request.GET.get("q", "")[:MAX_QUERY]
    response = JsonResponse({"results": picker.options(request.user, params, q)})
    response["Cache-Control"] = "private, no-store"
    return response
