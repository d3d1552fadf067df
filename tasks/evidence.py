"""Evidence (台账) uploads: the size limit of this use; the content check is
``accounts.uploads`` (PDF, JPG, PNG, Word, Excel — checked by content, never by name)."""

from django.conf import settings

from accounts import uploads


def check_upload(uploaded) -> uploads.Checked:
    return uploads.check_upload(uploaded, max_bytes=settings.EVIDENCE_MAX_BYTES, kinds=uploads.DOCUMENTS)
