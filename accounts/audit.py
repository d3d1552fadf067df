"""Writing the audit trail. Call ``record`` inside the transaction of the action it
describes: if the action rolls back, so does its audit row, and if the audit row
cannot be written the action fails (fail closed, 等保 8.1.4.3 d)."""

import contextvars
import re

from .models import AuditEvent

_request_context: contextvars.ContextVar[dict] = contextvars.ContextVar("qingdan_request", default={})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def set_request_context(**values) -> contextvars.Token:
    return _request_context.set(values)


def reset_request_context(token) -> None:
    _request_context.reset(token)


def request_context() -> dict:
    return _request_context.get()


def _clean(text, limit):
    return _CONTROL.sub(" ", str(text or ""))[:limit]


def record(action: str, *, user=None, obj=None, result: str = AuditEvent.Result.SUCCESS, org=None, **detail) -> AuditEvent:
    ctx = request_context()
    if user is None:
        user = ctx.get("user")
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if org is None and obj is not None:
        org = getattr(obj, "org", None)
        if org is None and obj.__class__.__name__ == "OrgUnit":
            org = obj
    return AuditEvent.objects.create(
        actor=user,
        actor_name=_clean(getattr(user, "username", "") if user else detail.pop("username", ""), 150),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=_clean(obj, 200) if obj is not None else "",
        org_path=getattr(org, "path", "") or "",
        result=result,
        ip=ctx.get("ip"),
        request_id=ctx.get("request_id", ""),
        detail={k: (_clean(v, 500) if isinstance(v, str) else v) for k, v in detail.items()},
    )
