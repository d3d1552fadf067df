"""Views of the work flow. The filtered task list is routed by urls_list.py."""

from .evidence import evidence_download, evidence_remove, evidence_thumb, evidence_upload, evidence_view
from .mine import mine, progress
from .review import extension_decide, reopen, review, review_batch, review_queue
from .work import detail, extension_request, work

__all__ = [
    "detail", "evidence_download", "evidence_remove", "evidence_thumb", "evidence_upload", "evidence_view", "extension_decide",
    "extension_request", "mine", "progress", "reopen", "review", "review_batch", "review_queue", "work",
]
