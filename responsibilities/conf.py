"""Settings of the responsibilities app (read with defaults; config/settings.py is not edited)."""

from django.conf import settings

# Largest xlsx accepted for a list import, and the most item rows in one list.
IMPORT_MAX_BYTES = getattr(settings, "QINGDAN_LIST_IMPORT_MAX_BYTES", getattr(settings, "IMPORT_MAX_BYTES", 10 * 1024 * 1024))
MAX_ITEMS = getattr(settings, "QINGDAN_LIST_MAX_ITEMS", 500)
