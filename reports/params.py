"""What a report asks for, read from the request — the dashboard page, the binder pages and
the API's dashboard call these, so the org and the period mean the same everywhere."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import OrgUnit
from accounts.params import query_date, query_int, query_text, query_year
from accounts.scope import scope_roots


def resolve_root(request):
    """The org the page is about: ?org=CODE inside the user's view scope (else 404), or the top of the scope."""
    scope = OrgUnit.objects.restrict(request.user, "view")
    code = request.GET.get("org") or request.POST.get("org")
    if code:
        code = query_text(code, OrgUnit._meta.get_field("code").max_length)
        root = scope.filter(code=code).first() if code else None
        if root is None:
            raise Http404
        return root, scope
    roots = scope_roots(request.user, "view")
    if not roots:
        raise PermissionDenied(_("You have no organisation to report on."))
    return roots[0], scope


def report_period(request):
    """(year, quarter, month, as_of) from ?year=&quarter=&month=&as_of= (this year, today by default)."""
    today = timezone.localdate()
    year = query_year(request.GET.get("year"), today.year)
    quarter = query_int(request.GET.get("quarter"), 1, 4)
    month = query_int(request.GET.get("month"), 1, 12)
    as_of = query_date(request.GET.get("as_of"), today)
    return year, quarter, month, as_of
