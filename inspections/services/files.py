"""Attachments of documents and talk records, and measure progress files: the size limit
of this use and the kinds it accepts; the content check is ``accounts.uploads``."""

from django.conf import settings

from accounts import uploads


def check_upload(uploaded) -> uploads.Checked:
    return uploads.check_upload(uploaded, max_bytes=settings.EVIDENCE_MAX_BYTES, kinds=uploads.DOCUMENTS_OFD_AND_TEXT)
