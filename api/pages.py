"""The settings page of personal API tokens: a person creates (the secret shown once) and revokes
their own; county staff (manage on a root org) list and revoke anyone's."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_POST

from accounts import audit
from accounts.scope import reaches, require

from .models import DEFAULT_DAYS, MAX_DAYS, ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    days = forms.IntegerField(label=gettext_lazy("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS)


def _county_staff(user) -> bool:
    """Every account's tokens are listed and revoked by the tree's staff (manage on a root org)."""
    return reaches(user, "manage", tree_wide=True)


@login_required
def token_list(request, form=None, secret=None, status=200):
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "api/tokens.html", {
        "tokens": tokens, "form": form or TokenForm(), "secret": secret,
        "county_staff": _county_staff(request.user)}, status=status)


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        return token_list(request, form=form, status=400)
    with transaction.atomic():
        token, secret = ApiToken.issue(request.user, form.cleaned_data["name"], form.cleaned_data["days"])
        audit.record("api.token_created", user=request.user, obj=token, token=token.prefix,
                     expires=token.expires_at.isoformat())
    messages.success(request, _("Token created. Copy it now: it is not shown again."))
    return token_list(request, secret=secret)


@login_required
@require_POST
def token_revoke(request, pk):
    token = ApiToken.objects.filter(pk=pk).first()
    if token is None or (token.user_id != request.user.pk and not _county_staff(request.user)):
        raise Http404
    with transaction.atomic():
        if ApiToken.objects.filter(pk=pk, revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=request.user):
            audit.record("api.token_revoked", user=request.user, obj=token, token=token.prefix, owner=token.user.username)
    messages.success(request, _("Token revoked."))
    return redirect("tokens:all" if token.user_id != request.user.pk else "tokens:list")


@login_required
def token_all(request):
    require(request.user, "manage", tree_wide=True)
    tokens = ApiToken.objects.select_related("user", "revoked_by")[:500]
    return render(request, "api/tokens_all.html", {"tokens": tokens})
