from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import audit, twofactor
from .downloads import attachment
from .forms import ChangePasswordForm, ImportForm, LoginForm
from .imports import import_file
from .resources import template_xlsx
from .navigation import menu_for
from .homepage import scope_summary, work_links
from .scope import onboards, reaches_below, scope_roots
from .services import memberships_of


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@login_required
def password_change(request):
    user = request.user
    forced = user.password_expired
    if request.method == "POST":
        form = ChangePasswordForm(user, request.POST)
        if form.is_valid():
            with transaction.atomic():
                user = form.save(commit=False)
                user.must_change_password = False
                user.save()
                audit.record("auth.password_changed", user=user, obj=user)
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password has been changed."))
            return redirect("home")
    else:
        form = ChangePasswordForm(user)
    return render(request, "accounts/password_change.html", {
        "form": form, "forced": forced, "second_factor": twofactor.enrolled(user)})


@require_GET
@login_required
def home(request):
    memberships = list(memberships_of(request.user))
    roots = scope_roots(request.user)
    menu = menu_for(request)
    links = work_links(request.user)
    if not reaches_below(request.user):  # a village officer: only what their short menu offers
        offered = {m["url"] for m in menu}
        links = [link for link in links if link["url"] in offered]
    linked = {link["url"] for link in links}
    summary = scope_summary(request.user)
    context = {
        "memberships": memberships,
        "scope_roots": roots,
        "scope_summary": summary,
        "scope_count": sum(n for _kind, n in summary),
        "work_links": links,
        "shortcuts": [m for m in menu if m["url"] != request.path and m["url"] not in linked],
    }
    return render(request, "accounts/home.html", context)


def _require_admin(request):
    if not onboards(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    """Bulk onboarding (system administrators): org tree or accounts from .xlsx, all or nothing."""
    _require_admin(request)
    result = None
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            result = import_file(form.cleaned_data["kind"], form.cleaned_data["file"], user=request.user)
            if result.ok:
                messages.success(request, _("Imported: %(created)d created, %(updated)d updated, nothing refused.")
                                 % {"created": result.created, "updated": result.updated})
                return redirect("accounts:import")
            status = 400
        else:
            status = 400
    else:
        form = ImportForm(initial={"kind": "orgs"})
    return render(request, "accounts/import.html", {"form": form, "result": result}, status=status)


@login_required
@require_GET
def import_template(request, kind):
    _require_admin(request)
    if kind not in ("orgs", "accounts"):
        raise Http404
    name = "org_template.xlsx" if kind == "orgs" else "account_template.xlsx"
    return attachment(template_xlsx(kind), name)
