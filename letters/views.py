"""目标责任书 pages (thin): the issuer's list, a letter's page (edit before issuing, print,
upload the signed scan), and the cascade's status. Scope through accounts.scope: a letter outside
the reader's scope is not found, one in scope that the reader may not issue is forbidden."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms_util import add_errors
from accounts.params import query_id, query_year
from accounts.scope import can, get_visible_or_404
from inspections.views.common import docx_response
from reports.params import resolve_root
from tasks.forms import TaskWorkForm
from tasks.models import Task
from tasks.services import Conflict
from tasks.warnings import colour_of

from . import services
from .docx import letter_docx
from .forms import LetterForm
from .models import ResponsibilityLetter
from .status import State, cascade, state_of


def _year(request) -> int:
    return query_year(request.GET.get("year") or request.POST.get("year"), timezone.localdate().year)


def _list_url(issuer, year) -> str:
    return f"{reverse('letters:index')}?org={issuer.code}&year={year}"


@login_required
def index(request):
    """The issuer's list: the orgs below that receive its letters, each letter's state, and the
    actions (prepare one, issue one, issue all) for those who may issue."""
    root, _scope = resolve_root(request)
    year = _year(request)
    letters = {le.org_id: le for le in ResponsibilityLetter.objects.restrict(request.user, "view")
               .filter(issuer=root, year=year).select_related("task")}
    today = timezone.localdate()
    rows = []
    for org in services.receivers(root):
        le = letters.get(org.pk)
        task = le.task if le is not None else None
        state = state_of(task.status, colour_of(task, today)) if task is not None else State.NOT_ISSUED
        rows.append({"org": org, "letter": le, "state": state, "label": State.LABELS[state], "css": State.CSS[state]})
    may_issue = services.may_issue(request.user, root) and year in services.years()
    received = (ResponsibilityLetter.objects.restrict(request.user, "view")
                .filter(org=root, issued_on__isnull=False).select_related("issuer").order_by("-year"))
    this_year = today.year
    return render(request, "letters/index.html", {
        "root": root, "year": year, "rows": rows, "may_issue": may_issue, "issues": services.issues_letters(root),
        "unissued": sum(1 for r in rows if not (r["letter"] and r["letter"].is_issued)),
        "years": range(this_year - 2, this_year + 2), "received": received,
    })


@login_required
@require_POST
def prepare(request):
    root, _scope = resolve_root(request)
    year = _year(request)
    org = _receiver(request, root)
    try:
        letter = services.prepare(request.user, root, org, year)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect(_list_url(root, year))
    return redirect("letters:detail", pk=letter.pk)


def _receiver(request, root):
    """The receiving org named by ``receiver`` (an id) among ``root``'s receivers, else 404."""
    pk = query_id(request.POST.get("receiver"))
    org = services.receivers(root).filter(pk=pk).first() if pk else None
    if org is None:
        raise Http404
    return org


@login_required
@require_POST
def issue(request):
    """Issue one letter (``receiver``) or every letter of the year not issued yet (no receiver)."""
    root, _scope = resolve_root(request)
    year = _year(request)
    orgs = [_receiver(request, root)] if request.POST.get("receiver") else None
    try:
        n = services.issue(request.user, root, year, orgs)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        if n:
            messages.success(request, _("%(n)d letter(s) issued.") % {"n": n})
        else:
            messages.info(request, _("Nothing to issue: every letter of this year has been issued already."))
    if orgs and request.POST.get("next") == "detail":
        letter = ResponsibilityLetter.objects.filter(year=year, org=orgs[0]).first()
        if letter is not None:
            return redirect("letters:detail", pk=letter.pk)
    return redirect(_list_url(root, year))


def _letter(request, pk) -> ResponsibilityLetter:
    """A letter the user sees: an issued one to whoever views its receiver; a draft only to its issuer."""
    letter = get_visible_or_404(ResponsibilityLetter.objects.select_related("issuer", "org", "task"), request.user, pk=pk)
    if not letter.is_issued and not services.may_issue(request.user, letter.issuer):
        raise Http404
    return letter


def _detail(request, letter, form=None, status=200):
    task = letter.task
    may_issue = services.may_issue(request.user, letter.issuer)
    can_sign = task is not None and task.is_open and can(request.user, "work", letter.org)
    if form is None and may_issue and not letter.is_issued:
        form = LetterForm(initial={"number": letter.number, "title": letter.title, "body": letter.body,
                                   "version": letter.version})
    return render(request, "letters/detail.html", {
        "letter": letter, "task": task, "form": form, "may_issue": may_issue and letter.year in services.years(),
        "paragraphs": [p for p in letter.body.splitlines() if p.strip()],
        "can_sign": can_sign, "work_form": TaskWorkForm(initial={"note": _("Signed and sealed; scan uploaded."),
                                                                "version": task.version}) if can_sign else None,
        "files": task.evidence.filter(removed_at__isnull=True) if task is not None else [],
        "can_see_task": task is not None and Task.objects.restrict(request.user, "view").filter(pk=task.pk).exists(),
    }, status=status)


@login_required
def detail(request, pk):
    return _detail(request, _letter(request, pk))


@login_required
@require_POST
def edit(request, pk):
    letter = _letter(request, pk)
    form = LetterForm(request.POST)
    if not form.is_valid():
        return _detail(request, letter, form, status=400)
    try:
        services.save_text(request.user, letter, **form.cleaned_data)
    except Conflict as e:
        form.add_error(None, e.message)
        return _detail(request, letter, form, status=409)
    except ValidationError as e:
        add_errors(form, e)
        return _detail(request, letter, form, status=400)
    messages.success(request, _("Letter saved."))
    return redirect("letters:detail", pk=letter.pk)


@login_required
def docx(request, pk):
    letter = _letter(request, pk)
    return docx_response(letter_docx(letter), f"{letter.org.name}{letter.title}")


@login_required
def status(request):
    """The cascade's status: (市 / province →) county → towns → villages, each count linking to its task list."""
    root, _scope = resolve_root(request)
    year = _year(request)
    this_year = timezone.localdate().year
    return render(request, "letters/status.html", {
        "root": root, "year": year, "years": range(this_year - 2, this_year + 2), **cascade(request.user, root, year),
    })
