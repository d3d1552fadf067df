from django.contrib.auth.backends import ModelBackend

from .models import User


class CaseInsensitiveModelBackend(ModelBackend):
    """Usernames are unique case-insensitively; sign-in accepts any case."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            user = User._default_manager.get(username__iexact=username.strip())
        except User.DoesNotExist:
            User().set_password(password)  # same cost as a real check (timing)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request, credentials):
    """Lock out by the normalised username, so 'Alice' and 'alice' share a counter."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(value).strip().lower()


class AdministratorBackend:
    """The administration site's model permissions of the administrator roles, answered by the
    policy (accounts.scope.admin_may); it authenticates nobody."""

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        from .scope import admin_may

        return obj is None and admin_may(user_obj, perm)

    def has_module_perms(self, user_obj, app_label):
        from .scope import admin_modules

        return app_label in admin_modules(user_obj)
