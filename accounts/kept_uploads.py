"""A chosen file survives a form error: ``KeptFileField`` keeps an upload of a form that
is shown again (with errors) in storage under ``kept/`` and renders a signed token naming
it, so the person does not choose the file again; the next submit without a new file
takes the kept one. A new choice replaces it.

The token is signed (``django.core.signing``), names the person it was given to and
expires after ``KEEP_SECONDS``; a forged, foreign or stale token is ignored (the field is
then empty, as if nothing had been kept). Kept files nobody came back for are deleted by
``purge()`` (daily housekeeping). Only a file that passed the field's content check is kept."""

import uuid

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

SALT = "qingdan.kept-upload"
FOLDER = "kept"
KEEP_SECONDS = 24 * 3600
TOKEN_SUFFIX = "__kept"


def keep(uploaded, user) -> str:
    """Store ``uploaded`` provisionally; the token that finds it again."""
    # The name starts with the moment it was kept (the app's clock, not the file system's).
    name = default_storage.save(f"{FOLDER}/{int(timezone.now().timestamp())}-{uuid.uuid4().hex}", uploaded)
    return signing.dumps({"f": name, "n": uploaded.name, "u": getattr(user, "pk", None)}, salt=SALT)


def resume(token: str, user) -> File | None:
    """The kept file the token names, opened, or None."""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=SALT, max_age=KEEP_SECONDS)
    except signing.BadSignature:
        return None
    name = data.get("f", "")
    if data.get("u") != getattr(user, "pk", None) or not name.startswith(FOLDER + "/") or not default_storage.exists(name):
        return None
    kept = File(default_storage.open(name, "rb"), name=data.get("n") or "file")
    kept.size = default_storage.size(name)
    return kept


def purge() -> int:
    """Delete kept files older than KEEP_SECONDS; how many were deleted."""
    try:
        _, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now().timestamp() - KEEP_SECONDS
    gone = 0
    for f in files:
        kept_at = f.split("-", 1)[0]
        if not kept_at.isdigit() or int(kept_at) < cutoff:
            default_storage.delete(f"{FOLDER}/{f}")
            gone += 1
    return gone


class KeptFileInput(forms.FileInput):
    template_name = "accounts/widgets/kept_file.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.user = None
        self.fresh = None   # an upload of this submit that passed the check, kept when rendered
        self.kept = None    # (token, file name) of the kept file

    def value_from_datadict(self, data, files, name):
        return files.get(name), data.get(name + TOKEN_SUFFIX, "")

    def value_omitted_from_data(self, data, files, name):
        return name not in files and name + TOKEN_SUFFIX not in data

    def get_context(self, name, value, attrs):
        if self.fresh is not None:
            # The form is shown again: keep the file this submit brought.
            self.kept = (keep(self.fresh, self.user), self.fresh.name)
            self.fresh = None
        context = super().get_context(name, None, attrs)
        context["widget"]["token_name"] = name + TOKEN_SUFFIX
        context["widget"]["kept"] = self.kept
        return context


class KeptFileField(forms.FileField):
    """A FileField whose upload survives a form error. ``check`` is the use's content check
    (e.g. ``inspections.services.files.check_upload``): a file it refuses is not kept."""

    widget = KeptFileInput

    def __init__(self, *, check, **kwargs):
        self.check = check
        super().__init__(**kwargs)

    def bind_user(self, user):
        self.widget.user = user

    def bound_data(self, data, initial):
        return initial

    def clean(self, value, initial=None):
        upload, token = value if isinstance(value, tuple) else (value, "")
        if upload:
            upload = super().clean(upload, initial)
            self.check(upload)  # raises ValidationError: not kept
            self.widget.fresh = upload
            return upload
        kept = resume(token, self.widget.user)
        if kept is not None:
            self.widget.kept = (token, kept.name)
            return kept
        if self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return None
