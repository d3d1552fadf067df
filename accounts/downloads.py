"""How a generated file leaves the server: one attachment response for every export (the
workbooks, the lists, the audit trail, the official letters). The file name may be Chinese: the
header carries an ASCII-safe form and the UTF-8 name (RFC 6266). Caching and ``nosniff`` are the
middleware's (NoStoreMiddleware, SecurityMiddleware), the same for every response."""

import io

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from .uploads import DOCX, XLSX

__all__ = ["DOCX", "XLSX", "attachment", "workbook_bytes"]


def workbook_bytes(wb) -> bytes:
    """An openpyxl workbook (write-only or not) saved to bytes."""
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def attachment(content: bytes, filename: str, content_type: str = XLSX) -> HttpResponse:
    """``content`` as a download named ``filename``."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response
