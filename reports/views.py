"""Reports pages (thin): the dashboard, the quarterly and 考核结果 workbook downloads."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.downloads import attachment
from accounts.params import query_int, query_year
from assessment.models import RiskPoint
from assessment.results import assessment_rows
from assessment.scoring import interview_flags
from responsibilities.choices import Category
from tasks.figures import FIGURES

from . import dashboard as dash
from .assessment_xlsx import assessment_workbook
from .params import report_period, resolve_root


@login_required
def dashboard(request):
    root, scope = resolve_root(request)
    year, quarter, month, as_of = report_period(request)
    if request.GET.get("part") == "flags":
        return interview_flags_part(request, root, scope, year, as_of)
    w = dash.window_for(year, quarter, month, as_of)
    data = dash.compute(root, w, scope)
    cat_labels = dict(Category.choices)
    table = [data["own"], *data["rows"]]
    own_label = _("%(org)s (own tasks)") % {"org": root.name}
    chart = {
        "orgs": [own_label if r.own else r.org.name for r in table],
        "rates": [None if r.rate is None else round(r.rate * 100, 1) for r in table],
        "months": [t["m"].strftime("%Y-%m") for t in data["trend"]],
        "trend": [round(t["on_time"] * 100 / t["due"], 1) if t["due"] else None for t in data["trend"]],
        "trend_due": [t["due"] for t in data["trend"]],
        "categories": [{"name": str(cat_labels.get(c["category"], c["category"] or "—")),
                        "value": round(c["on_time"] * 100 / c["due"], 1) if c["due"] else None} for c in data["categories"]],
        "late_items": [[i["title"], i["n"]] for i in data["late_items"]],
        "labels": {"rate": _("On-time rate (%)"), "due": _("Due")},
    }
    ancestors = list(root.get_ancestors().filter(pk__in=scope.values("pk")).only("name", "code")) if root.depth > 1 else []
    # the period, as the drill-down links and the breadcrumbs carry it to the next level
    period_query = urlencode({k: v for k, v in (("year", year), ("quarter", quarter), ("month", month), ("as_of", as_of.isoformat())) if v})
    return render(request, "reports/dashboard.html", {
        "root": root, "ancestors": ancestors, "w": w, "year": year, "quarter": quarter, "month": month,
        "period_query": period_query, "headline": {k: v for k, v in FIGURES.items() if k != "in_period"},
        "colour_looks": dash.COLOUR_LOOKS, "chart": chart, **data,
        "years": range(w.as_of.year - 4, w.as_of.year + 2), "quarters": range(1, 5), "months": range(1, 13),
        "export_quarter": quarter or ((month - 1) // 3 + 1 if month else (timezone.localdate().month - 1) // 3 + 1),
    })


FLAG_LIST_MAX = 10


def interview_flags_part(request, root, scope, year, as_of):
    """The 约谈 flags of the dashboard (``?part=flags``, fetched by htmx once the page is shown):
    a short list of the flagged orgs under ``root`` and, out of band, a badge in the org
    table's row of each. ``assessment.scoring.interview_flags`` scores two whole years (14
    queries); loaded apart, the dashboard itself stays within its query budget."""
    flagged = interview_flags(year, as_of=as_of)
    orgs = list(scope.filter(pk__in=flagged, path__startswith=root.path).exclude(pk=root.pk)
                .only("id", "name", "code", "kind", "path", "depth").order_by("path")) if flagged else []
    # the org table shows root's children: the badge goes to each flagged one
    in_table = [o for o in orgs if o.depth == root.depth + 1]
    return render(request, "reports/_interview_flags.html", {
        "orgs": orgs[:FLAG_LIST_MAX], "more": max(len(orgs) - FLAG_LIST_MAX, 0), "count": len(orgs),
        "in_table": in_table, "year": year, "as_of": as_of, "root": root,
    })


@login_required
def quarterly(request):
    return quarterly_download(request)


def quarterly_download(request) -> HttpResponse:
    """The quarterly workbook of ``?org=&year=&quarter=`` (this quarter by default), audited —
    for the page's download and the API's."""
    from .workbook import build_quarterly

    root, scope = resolve_root(request)
    today = timezone.localdate()
    year = query_year(request.GET.get("year"), today.year)
    quarter = query_int(request.GET.get("quarter"), 1, 4, (today.month - 1) // 3 + 1)
    content = build_quarterly(request.user, year, quarter, org=root)
    audit.record("reports.exported", obj=root, org=root, report="quarterly", year=year, quarter=quarter, scope=root.code)
    return attachment(content, f"quarterly-{root.code}-{year}Q{quarter}.xlsx")


@login_required
def archive_start(request):
    from django.shortcuts import redirect

    from .services import start_archive_export

    if request.method != "POST":
        return HttpResponse(status=405)
    root, scope = resolve_root(request)
    year = query_year(request.POST.get("year"), timezone.localdate().year)
    export = start_archive_export(request.user, root, year)
    return redirect("reports:archive_detail", pk=export.pk)


def _own_export(request, pk):
    from .models import Export

    export = Export.objects.restrict(request.user, "view").filter(pk=pk, user=request.user).select_related("org").first()
    if export is None:
        raise Http404
    return export


@login_required
def archive_detail(request, pk):
    export = _own_export(request, pk)
    template = "reports/_archive_progress.html" if request.headers.get("HX-Request") else "reports/archive.html"
    return render(request, template, {"export": export})


@login_required
@require_POST
def archive_retry(request, pk):
    """Start the export again when its run was interrupted or failed: a new export of the same
    organisation and year (still in the requester's scope: ``_own_export`` asks the policy)."""
    from .services import start_archive_export

    export = _own_export(request, pk)
    if not export.can_start_again:
        return redirect("reports:archive_detail", pk=export.pk)
    export = start_archive_export(request.user, export.org, export.year)
    return redirect("reports:archive_detail", pk=export.pk)


@login_required
def archive_download(request, pk):
    from django.http import FileResponse

    export = _own_export(request, pk)
    if export.status != export.Status.DONE or not export.file:
        raise Http404
    return FileResponse(export.file.open("rb"), as_attachment=True, filename=f"archive-{export.org.code}-{export.year}.xlsx")


@login_required
def assessment_export(request):
    """考核结果 of the year (``?year=``, default this year) for the reader's scope, with
    the 廉政风险点 register of that scope."""
    year = query_year(request.GET.get("year"), timezone.localdate().year)
    groups, error = assessment_rows(request.user, year)
    if error:
        messages.error(request, error)
        return redirect(f"{reverse('assessment:index')}?year={year}")
    risks = (RiskPoint.objects.restrict(request.user, "view").filter(is_active=True)
             .select_related("org").order_by("org__path", "post", "id"))
    data = assessment_workbook(year, groups, risks, user=request.user)
    return attachment(data, f"{year}年考核结果.xlsx")
