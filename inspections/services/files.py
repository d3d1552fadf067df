from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .. import conf

ALLOWED = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".txt", ".ofd", ".wps")


def check_upload(uploaded):
    name = (getattr(uploaded, "name", "") or "").lower()
    if uploaded.size > conf.max_upload_bytes():
        raise ValidationError(_("The file is larger than %(mb)s MB.") % {"mb": conf.max_upload_bytes() // (1024 * 1024)})
    if not name.endswith(ALLOWED):
        raise ValidationError(_("This file type is not accepted (PDF, Word, Excel, images, text)."))
    if uploaded.size == 0:
        raise ValidationError(_("The file is empty."))
