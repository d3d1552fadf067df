"""Evidence (台账) uploads: the size limit of this use; the content check is
``accounts.uploads`` (PDF, JPG, PNG, Word, Excel — checked by content, never by name)."""

from django.conf import settings

from accounts import uploads


def max_bytes() -> int:
    return int(getattr(settings, "EVIDENCE_MAX_BYTES", 20 * 1024 * 1024))


def check_upload(uploaded) -> uploads.Checked:
    return uploads.check_upload(uploaded, max_bytes=max_bytes(), kinds=uploads.DOCUMENTS)
