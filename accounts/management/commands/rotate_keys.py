"""manage.py rotate_keys — re-encrypt every encrypted field under the current key of
QINGDAN_FIELD_KEYS, in batches, while the site keeps running."""

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand

from accounts import audit
from accounts.fields import EncryptedTextField, LookupDigestField, reencrypt


def encrypted_fields():
    """(model, field name, digest field name or None) for every encrypted field of the project."""
    for model in apps.get_models():
        digests = {f.source: f.name for f in model._meta.concrete_fields if isinstance(f, LookupDigestField)}
        for f in model._meta.concrete_fields:
            if isinstance(f, EncryptedTextField):
                yield model, f.name, digests.get(f.name)


class Command(BaseCommand):
    help = ("Re-encrypt the fields encrypted at rest under the current key of QINGDAN_FIELD_KEYS "
            "(then older keys can be dropped); --digests also recomputes the lookup digests after "
            "QINGDAN_LOOKUP_KEY changed.")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--digests", action="store_true", help="recompute the lookup digests too")

    def handle(self, *args, batch_size, digests, **options):
        batch_size = max(1, min(batch_size, 10000))
        total = 0
        for model, name, digest in encrypted_fields():
            n = reencrypt(model, name, batch_size=batch_size, digest=digest if digests else None)
            total += n
            self.stdout.write(f"{model._meta.label}.{name}: {n} rows re-encrypted")
        current = settings.QINGDAN_FIELD_KEYS.current
        audit.record("crypto.keys_rotated", key=current, rows=total, digests=digests)
        self.stdout.write(f"{total} values now under key {current}")
