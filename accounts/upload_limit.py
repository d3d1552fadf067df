"""A file over the largest upload size is refused while it arrives, not after it was read
whole: ``LimitedUploadHandler`` (first in FILE_UPLOAD_HANDLERS) counts each file's bytes and
stops reading the request once a file passes ``largest()``; ``UploadLimitMiddleware``
(before CSRF) then answers 413 with a clear message naming the file and the limit. Nothing
is written: Django closes (and so deletes) the partial temporary file, the view never runs.

Each use still checks its own, possibly smaller, limit and the content (accounts.uploads);
this only spares the server reading what it would refuse anyway. The browser refuses such a
file before sending it (static/js/app.js, limit from ``largest()`` in base.html)."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat


def largest() -> int:
    """The largest file any upload form accepts, in bytes."""
    return max(settings.EVIDENCE_MAX_BYTES, settings.IMPORT_MAX_BYTES)


class LimitedUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > largest():
            self.request.upload_refused = self.file_name
            raise StopUpload(connection_reset=True)  # read no further
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler (memory or temporary file) holds the file


class UploadLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if request.method != "POST" or request.content_type != "multipart/form-data":
            return None
        request.POST  # noqa: B018 — parse now (CSRF would next), through LimitedUploadHandler
        name = getattr(request, "upload_refused", None)
        if name is None:
            return None
        context = {"name": name, "limit": filesizeformat(largest())}
        return render(request, "accounts/upload_too_big.html", context, status=413)
