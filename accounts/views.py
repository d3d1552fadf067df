from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import audit
from .forms import ChangePasswordForm, LoginForm
from .navigation import menu_for
from .homepage import scope_summary, work_links
from .scope import scope_roots
from .services import memberships_of


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def lockout_response(request, credentials=None, *args, **kwargs):
    """What axes shows a locked-out username (HTTP 429)."""
    return render(request, "accounts/locked_out.html", status=429)


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
    return render(request, "accounts/password_change.html", {"form": form, "forced": forced})


@require_GET
@login_required
def home(request):
    memberships = list(memberships_of(request.user))
    roots = scope_roots(request.user)
    links = work_links(memberships, request.user)
    linked = {link["url"] for link in links}
    summary = scope_summary(request.user)
    context = {
        "memberships": memberships,
        "scope_roots": roots,
        "scope_summary": summary,
        "scope_count": sum(n for _kind, n in summary),
        "work_links": links,
        "shortcuts": [m for m in menu_for(request) if m["url"] != request.path and m["url"] not in linked],
    }
    return render(request, "accounts/home.html", context)
