from .documents import Document, DocumentRecipient
from .escalation import EscalationDocument
from .rectification import Finding, FindingCategory, Inspection, Measure, Recheck, Round, SignOff
from .talks import Talk

__all__ = [
    "Document", "DocumentRecipient", "EscalationDocument", "Finding", "FindingCategory", "Inspection", "Measure",
    "Recheck", "Round", "SignOff", "Talk",
]
