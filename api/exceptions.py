"""Every API error as ``{"code": "<stable code>", "message": "<text in the user's language>"}``
(plus ``fields`` for invalid input): DRF's own errors, Django's Http404 / PermissionDenied and the
services' ValidationError alike."""

from django.core.exceptions import PermissionDenied, ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views import defaults
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from tasks.views.common import error_messages


def _messages(detail) -> list[str]:
    if isinstance(detail, dict):
        return [m for v in detail.values() for m in _messages(v)]
    if isinstance(detail, list):
        return [m for v in detail for m in _messages(v)]
    return [str(detail)]


def handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else None
        exc = exceptions.ValidationError(fields or {"non_field_errors": error_messages(exc)})
    if isinstance(exc, Http404):
        return Response({"code": "not_found", "message": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        return Response({"code": "forbidden", "message": str(exc) or _("You are not allowed to do this.")},
                        status=status.HTTP_403_FORBIDDEN)
    response = drf_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = {"code": "invalid", "message": " ".join(_messages(exc.detail)) or _("Invalid input."),
                "fields": exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}}
    elif isinstance(exc, exceptions.NotAuthenticated):
        body = {"code": "not_authenticated", "message": _("Sign in or send an API token.")}
    elif isinstance(exc, exceptions.PermissionDenied):
        body = {"code": "forbidden", "message": _("You are not allowed to do this.")
                if str(exc.detail) == str(exceptions.PermissionDenied.default_detail) else str(exc.detail)}
    elif isinstance(exc, exceptions.Throttled):
        body = {"code": "throttled", "message": _("Too many requests: try again in %(s)d seconds.") % {"s": exc.wait or 1}}
    else:
        body = {"code": getattr(exc, "default_code", "error"), "message": " ".join(_messages(exc.detail))}
    response.data = body
    return response


def page_not_found(request, exception, template_name=defaults.ERROR_404_TEMPLATE_NAME):
    """The project's 404 handler: under /api/ a URL no route matches (an id that is not a
    number, a mistyped path) is the API's JSON error too; elsewhere Django's page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": _("Not found.")}, status=404,
                            json_dumps_params={"ensure_ascii": False})
    return defaults.page_not_found(request, exception, template_name)
