"""Attachments of documents and talk records, and measure progress files: the size limit
of this use and the kinds it accepts; the content check is ``accounts.uploads``."""

from accounts import uploads

from .. import conf


def check_upload(uploaded) -> uploads.Checked:
    return uploads.check_upload(uploaded, max_bytes=conf.max_upload_bytes(), kinds=uploads.DOCUMENTS_OFD_AND_TEXT)
