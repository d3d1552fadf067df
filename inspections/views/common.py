from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse

from accounts.downloads import DOCX, attachment

from ..services import is_manager


def manager(request) -> bool:
    return is_manager(request.user)


def manager_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not manager(request):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def file_response(fieldfile, name):
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=name or "file")


def docx_response(data: bytes, name: str) -> HttpResponse:
    """A generated .docx as a download named ``name``.docx."""
    return attachment(data, f"{name}.docx", DOCX)
