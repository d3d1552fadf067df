"""The security administrator's: the work apps' secrets (written, never shown again) and the
bindings of people to work-app user ids."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import audit

from .models import Binding, Credential
from .providers import CHANNEL


class CredentialForm(forms.ModelForm):
    new_secret = forms.CharField(
        label=_("New secret"), required=False, max_length=200, strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to keep the stored secret. A saved secret is never shown again; saving a new "
                    "one switches the work app's messages on again."),
    )

    class Meta:
        model = Credential
        fields = ("provider",)


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    form = CredentialForm
    list_display = ("provider", "has_secret", "messages_off", "updated_at")
    readonly_fields = ("messages_off", "updated_at")

    @admin.display(boolean=True, description=_("secret set"))
    def has_secret(self, obj):
        return bool(obj.secret)

    @admin.display(description=_("messages switched off because"))
    def messages_off(self, obj):
        """Why the provider's messages are off ("" = on): the secret in force was refused."""
        from notifications.services import channel_disabled

        return channel_disabled(CHANNEL[obj.provider]) if obj and obj.provider else ""

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields + (("provider",) if obj else ())

    def save_model(self, request, obj, form, change):
        new = form.cleaned_data.get("new_secret")
        with transaction.atomic():
            if new:  # a new secret in force: its messages are on again (notifications.services.switches)
                obj.secret = new
            obj.save()
            audit.record("workapp.secret_changed", user=request.user, obj=obj, provider=obj.provider,
                         secret_changed=bool(new), at=timezone.now().isoformat())

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Binding)
class BindingAdmin(admin.ModelAdmin):
    list_display = ("user", "provider", "userid", "via", "created_at")
    list_filter = ("provider", "via")
    search_fields = ("userid", "user__username")
    raw_id_fields = ("user",)
