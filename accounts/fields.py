"""Model fields encrypted at rest with SM4-GCM (accounts/crypto.py).

A value is stored as ``sm4gcm:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>`` and read back as
plaintext; the table and column are bound in as associated data, so a value copied into
another column does not decrypt. The empty string stays empty (so blank checks need no key).
A value without the prefix (written before encryption was turned on) reads as it is until
``manage.py rotate_keys`` encrypts it. Encrypted columns cannot be searched or ordered by the
database: only ``isnull`` is allowed; equality lookups go through a ``LookupDigestField``."""

from __future__ import annotations

import base64

from django import forms
from django.conf import settings
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import IsNull

from .crypto import hmac_sm3, sm4_gcm_decrypt, sm4_gcm_encrypt

PREFIX = "sm4gcm:"


def _aad(field) -> bytes:
    return f"{field.model._meta.db_table}.{field.column}".encode()


def encrypt(field, plaintext: str, key_id: str | None = None) -> str:
    ring = settings.QINGDAN_FIELD_KEYS
    key_id = key_id or ring.current
    sealed = sm4_gcm_encrypt(ring.key(key_id), plaintext.encode(), aad=_aad(field))
    return f"{PREFIX}{key_id}:{base64.b64encode(sealed).decode('ascii')}"


def decrypt(field, stored: str) -> str:
    if not stored.startswith(PREFIX):
        return stored
    key_id, _, body = stored[len(PREFIX):].partition(":")
    key = settings.QINGDAN_FIELD_KEYS.key(key_id)
    return sm4_gcm_decrypt(key, base64.b64decode(body), aad=_aad(field)).decode()


def key_id_of(stored: str) -> str | None:
    """The key a stored value was written under (None: not encrypted yet)."""
    return stored[len(PREFIX):].partition(":")[0] if stored.startswith(PREFIX) else None


class EncryptedTextField(models.TextField):
    description = "Text encrypted at rest with SM4-GCM"

    def from_db_value(self, value, expression, connection):
        return value if value is None or value == "" else decrypt(self, value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or value.startswith(PREFIX):
            return value
        return encrypt(self, value)

    def formfield(self, **kwargs):
        if self.max_length and self.max_length <= 255:  # a short value (a mobile number): one line
            widget = kwargs.pop("widget", None)
            if widget is not None and not issubclass(widget if isinstance(widget, type) else type(widget), forms.Textarea):
                kwargs["widget"] = widget
            return models.Field.formfield(self, form_class=forms.CharField, max_length=self.max_length, **kwargs)
        return super().formfield(**kwargs)

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return IsNull
        raise FieldError(f"{self.model.__name__}.{self.name} is encrypted: the database cannot compare it "
                         f"(lookup {lookup_name!r}); search through its digest field instead.")


def lookup_digest(value: str) -> str:
    """HMAC-SM3 under QINGDAN_LOOKUP_KEY of the trimmed value; "" for an empty value."""
    value = (value or "").strip()
    if not value:
        return ""
    ring = settings.QINGDAN_LOOKUP_KEY
    return hmac_sm3(ring.current_key, value.encode()).hex()


class LookupDigestField(models.CharField):
    """A keyed SM3 digest of another field, kept up to date on every save, for equality search."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = lookup_digest(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def reencrypt(model, field_name: str, *, batch_size: int = 500, digest: str | None = None) -> int:
    """Write every value of ``field_name`` that is not yet under the current key again (plaintext
    left from before encryption, or a value under an older key), in batches of ``batch_size``
    rows, each its own short transaction with its rows locked: the site keeps running, and a
    value saved meanwhile is never overwritten by a stale one. ``digest`` names a
    LookupDigestField of the same value to recompute as well. Returns the rows written. Works
    with the historical models of a data migration too."""
    from django.db import transaction
    from django.db.models.functions import Cast

    current = f"{PREFIX}{settings.QINGDAN_FIELD_KEYS.current}:"
    stale = (model._base_manager.annotate(_stored=Cast(field_name, models.TextField()))
             .exclude(_stored="").exclude(_stored__isnull=True).exclude(_stored__startswith=current))
    if digest:
        stale = model._base_manager.all()  # a new lookup key changes every digest
    written, last_pk = 0, None
    while True:
        with transaction.atomic():
            rows = stale.order_by("pk")
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            batch = list(rows.select_for_update().only("pk", field_name)[:batch_size])
            if not batch:
                return written
            for obj in batch:
                if digest:
                    setattr(obj, digest, lookup_digest(getattr(obj, field_name)))
            # read as plaintext (from_db_value); written under the current key (get_prep_value)
            model._base_manager.bulk_update(batch, [field_name, digest] if digest else [field_name])
            written += len(batch)
            last_pk = batch[-1].pk
