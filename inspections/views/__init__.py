from .documents import document_attachment, document_create, document_detail, document_docx, document_reply, documents
from .exports import ledger_export
from .measures import (
    escalation_docx, escalation_print, measure_close, measure_create, measure_detail, measure_progress, measure_verify,
)
from .rounds import (
    finding_create, finding_detail, finding_import, index, inspection_create, inspection_detail, inspection_signoff,
    round_create, round_detail,
)
from .talks import talk_create, talk_detail, talk_file, talks

__all__ = [
    "document_attachment", "document_create", "document_detail", "document_docx", "document_reply", "documents", "escalation_docx",
    "escalation_print", "finding_create", "finding_detail", "finding_import", "index", "inspection_create",
    "inspection_detail", "inspection_signoff", "ledger_export", "measure_close", "measure_create", "measure_detail",
    "measure_progress", "measure_verify", "round_create", "round_detail", "talk_create", "talk_detail", "talk_file", "talks",
]
