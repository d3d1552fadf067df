"""Sign-in from a work app (start, the provider's return, the 钉钉 workbench page) and binding a work-app user id to the
signed-in person. The rules are in workapp.signin."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from . import providers, signin


def _provider(provider: str) -> str:
    if provider not in providers.Provider.values or not providers.configured(provider):
        raise Http404
    return provider


@require_GET
def start(request, provider):
    """The link in a work-app message (``?next=/tasks/12/``) and the sign-in page's button."""
    provider = _provider(provider)
    next_url = request.GET.get("next")
    if request.user.is_authenticated:
        return redirect(signin.safe_next(request, next_url))
    target = signin.start(request, provider, next_url)
    if target is None:  # 钉钉 without an authorisation page: the workbench page asks the client
        query = f"?{urlencode({'next': next_url})}" if next_url else ""
        return redirect(reverse("workapp:workbench") + query)
    return redirect(target)


@require_GET
def callback(request, provider):
    """Where the provider sends the browser back with ``code`` and ``state``."""
    provider = _provider(provider)
    return _finish(request, provider, request.GET.get("code", ""), request.GET.get("state", ""))


def _finish(request, provider, code, state):
    """Sign in with the code and state the browser brought back: to ``next``, or the refusal page."""
    try:
        next_url = signin.finish(request, provider, code, state)
    except signin.Refusal as refusal:
        if refusal.reason == "unbound":
            return render(request, "workapp/unbound.html", {"provider": providers.label(provider)}, status=403)
        return render(request, "workapp/refused.html", {"message": refusal.message,
                                                        "provider": providers.label(provider)},
                      status=refusal.status)
    return redirect(next_url)


@require_http_methods(["GET", "POST"])
def workbench(request):
    """The 钉钉 micro-app's home page. GET: a page whose script (static/js/dingtalk-signin.js) asks
    the 钉钉 client for a 免登 code and posts it back here with the state; outside 钉钉 it explains
    and offers the password sign-in. POST: the same sign-in as the provider's return."""
    provider = _provider(providers.Provider.DINGTALK)
    if request.method == "POST":
        return _finish(request, provider, request.POST.get("code", ""), request.POST.get("state", ""))
    next_url = request.GET.get("next")
    if request.user.is_authenticated:
        return redirect(signin.safe_next(request, next_url))
    return render(request, "workapp/dingtalk_workbench.html", {
        "state": signin.begin(request, provider, next_url), "corp_id": settings.QINGDAN_DINGTALK_CORP_ID,
        "provider": providers.label(provider)})


@login_required
@require_http_methods(["GET", "POST"])
def bind(request):
    """Confirm that the work-app account just seen is the signed-in person's."""
    item = signin.pending(request)
    context = {"item": item, "provider": providers.label(item["provider"]) if item else ""}
    if request.method == "POST":
        if item is None or request.POST.get("userid") != item["userid"]:
            messages.error(request, _("There is no work-app account waiting to be bound. Open the system from "
                                      "the work app first."))
            return redirect("workapp:bind")
        try:
            signin.bind(request, request.user, item)
        except signin.Refusal as refusal:
            messages.error(request, refusal.message)
            return redirect("workapp:bind")
        messages.success(request, _("Bound: from now on you can sign in from %(app)s.") % {"app": context["provider"]})
        return redirect(reverse("tasks:mine"))
    return render(request, "workapp/bind.html", context)
