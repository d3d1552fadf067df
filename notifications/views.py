"""Thin views: the inbox (everyone, own messages only), preferences (own), and for county
staff the reminder settings, group robots and the delivery log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.scope import can, get_visible_or_404, require

from . import channels, services
from .forms import PreferenceForm, ReminderSettingsForm, WebhookCreateForm, WebhookEditForm
from .models import Kind, Outbox, Preference, ReminderSettings, State, SweepState, Webhook
from .channels.sms import normalise_mobile
from .services import channel_disabled, config
from .services.inbox import messages_for
from .services.workapp import workapp_channels_of

PAGE_SIZE = 20


# --- inbox ----------------------------------------------------------------------------------
@login_required
def inbox(request):
    qs = messages_for(request.user).select_related("task")
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {
        "page": page, "unread_only": unread_only, "unread": services.unread_count(request.user),
    })


@login_required
@require_POST
def open_message(request, pk):
    message = services.mark_read(request.user, pk)
    link = message.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_read(request, pk):
    services.mark_read(request.user, pk)
    return redirect(_back(request))


@login_required
@require_POST
def mark_all_read(request):
    n = services.mark_all_read(request.user)
    messages.success(request, _("%(n)d messages marked as read.") % {"n": n})
    return redirect(_back(request))


def _back(request):
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return "notifications:inbox"


# --- preferences ----------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    pref = Preference.objects.filter(user=request.user).first() or Preference(user=request.user)
    reachable = workapp_channels_of(request.user)
    sms = channels.get("sms").available()
    if request.method == "POST":
        form = PreferenceForm(request.POST, workapp_channels=reachable, sms=sms)
        if form.is_valid():
            config.save_preferences(request.user, email_enabled=form.cleaned_data["email_enabled"],
                                    muted_kinds=form.cleaned_data["muted_kinds"],
                                    workapp={c: form.cleaned_data[f"{c}_enabled"] for c in reachable},
                                    sms_enabled=form.cleaned_data.get("sms_enabled") if sms else None)
            messages.success(request, _("Your notification preferences were saved."))
            return redirect("notifications:preferences")
    else:
        form = PreferenceForm(workapp_channels=reachable, sms=sms, initial={
            "email_enabled": pref.email_enabled, "sms_enabled": pref.sms_enabled, "muted_kinds": pref.muted_kinds,
            **{f"{c}_enabled": getattr(pref, f"{c}_enabled") for c in reachable}})
    email = request.user.email
    mobile = normalise_mobile(request.user.mobile)
    return render(request, "notifications/preferences.html", {
        "form": form, "email": email, "sms": sms,
        "mobile": f"{mobile[:3]}****{mobile[-4:]}" if mobile else "",
        "sms_off": channel_disabled("sms") if sms else "",
        "bounced": bool(email and pref.bounced_email and pref.bounced_email.lower() == email.lower()),
    })


# --- county staff: reminder settings ---------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    require(request.user, "manage", tree_wide=True)  # the settings hold for the whole tree
    current = ReminderSettings.load()
    if request.method == "POST":
        form = ReminderSettingsForm(request.POST, instance=ReminderSettings.load())
        if form.is_valid():
            try:
                config.save_settings(request.user, form.cleaned_data, form.cleaned_data["version"])
            except config.Conflict:
                messages.error(request, _("Someone else has changed the settings. Reload and try again."))
            else:
                messages.success(request, _("Reminder settings saved."))
                return redirect("notifications:settings")
    else:
        form = ReminderSettingsForm(instance=current)
    return render(request, "notifications/settings.html", {
        "form": form, "current": current, "sweep": SweepState.objects.filter(pk=1).first(),
        "waiting": services.due_count(limit=100000),
    })


# --- county staff: group robots ----------------------------------------------------------------
def _webhook_for_manager(request, pk) -> Webhook:
    """404 outside the user's view scope; 403 inside it without county-manager rights."""
    webhook = get_visible_or_404(Webhook.objects.select_related("org").exclude(status=Webhook.Status.REMOVED),
                                 request.user, action="view", pk=pk)
    require(request.user, "manage", county_wide=True)
    if not can(request.user, "manage", webhook.org):
        raise PermissionDenied
    return webhook


@login_required
def webhooks(request):
    require(request.user, "manage", county_wide=True)
    qs = (Webhook.objects.restrict(request.user, "manage").exclude(status=Webhook.Status.REMOVED)
          .select_related("org").order_by("org__path", "kind"))
    return render(request, "notifications/webhooks.html", {"webhooks": qs})


@login_required
@require_http_methods(["GET", "POST"])
def webhook_create(request):
    require(request.user, "manage", county_wide=True)
    form = WebhookCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        config.create_webhook(request.user, org=d["org"], kind=d["kind"], url=d["url"], secret=d["secret"])
        messages.success(request, _("Group robot saved. Its address and secret will not be shown again."))
        return redirect("notifications:webhooks")
    return render(request, "notifications/webhook_form.html", {"form": form, "creating": True})


@login_required
@require_http_methods(["GET", "POST"])
def webhook_edit(request, pk):
    webhook = _webhook_for_manager(request, pk)
    form = WebhookEditForm(request.POST or None, webhook=webhook, initial={"version": webhook.version})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            config.update_webhook(request.user, webhook, expected_version=d["version"], url=d.get("url", ""),
                                  secret=d.get("secret", ""), clear_secret=d.get("clear_secret", False))
        except config.Conflict:
            messages.error(request, _("Someone else has changed this robot. Reload and try again."))
        else:
            messages.success(request, _("Group robot saved."))
            return redirect("notifications:webhooks")
    return render(request, "notifications/webhook_form.html", {"form": form, "webhook": webhook, "creating": False})


@login_required
@require_POST
def webhook_action(request, pk, action):
    webhook = _webhook_for_manager(request, pk)
    if action == "test":
        ok, detail = config.send_test_message(request.user, webhook)
        if ok:
            messages.success(request, _("The robot accepted the test message (%(detail)s).") % {"detail": detail})
        else:
            messages.error(request, _("The test message failed: %(detail)s") % {"detail": detail})
    elif action in ("enable", "disable", "remove"):
        status = {"enable": Webhook.Status.ACTIVE, "disable": Webhook.Status.DISABLED, "remove": Webhook.Status.REMOVED}[action]
        config.set_webhook_status(request.user, webhook, status)
        messages.success(request, {
            "enable": _("Group robot enabled."), "disable": _("Group robot disabled."), "remove": _("Group robot removed."),
        }[action])
    else:
        raise Http404
    return redirect("notifications:webhooks")


# --- county staff: delivery log ------------------------------------------------------------------
def _log_queryset(user):
    """The rows of the tasks the user sees (a reach of every org: every row), and the rows without
    a task (notices, digests, tests of a robot) to the user or to the robots of the orgs the user
    manages."""
    managed_robots = Webhook.objects.restrict(user, "manage").values("pk")
    taskless = Outbox.objects.filter(Q(recipient=user) | Q(webhook__in=managed_robots), task__isnull=True)
    return Outbox.objects.restrict(user, "view") | taskless


@login_required
def delivery_log(request):
    require(request.user, "manage", county_wide=True)
    rows = _log_queryset(request.user)
    qs = rows.select_related("recipient", "task", "task__org", "webhook", "webhook__org")
    filters = {}
    for name, choices in (("state", State.values), ("channel", list(channels.REGISTRY)), ("kind", Kind.values)):
        value = request.GET.get(name, "")
        if value in choices:
            filters[name] = value
    qs = qs.filter(**filters).order_by("-created_at", "-id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    counts = dict(rows.values_list("state").annotate(n=Count("id")).order_by())
    state_counts = [(value, label, counts.get(value, 0)) for value, label in State.choices]
    return render(request, "notifications/log.html", {
        "page": page, "filters": filters, "state_counts": state_counts, "states": State.choices, "kinds": Kind.choices,
        "channel_choices": channels.choices(), "sweep": SweepState.objects.filter(pk=1).first(),
    })


@login_required
@require_POST
def retry_row(request, pk):
    require(request.user, "manage", county_wide=True)
    row = get_object_or_404(_log_queryset(request.user), pk=pk)
    if config.retry_row(request.user, row):
        services.enqueue_senders(1)
        messages.success(request, _("The message was queued again."))
    else:
        messages.error(request, _("Only failed or skipped messages can be sent again."))
    return redirect("notifications:log")
