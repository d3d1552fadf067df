"""Pages of a task's source: an app whose objects become tasks may register, for its model, the
link a task's page shows to its source (label and URL). Registered in AppConfig.ready(); the
tasks app never imports the sources' apps."""

from django.contrib.contenttypes.models import ContentType

_LINKS: dict[tuple[str, str], tuple] = {}


def register(model, label, url_for) -> None:
    """``url_for(source_id)`` → the URL of the source's page; ``label`` names the link."""
    _LINKS[(model._meta.app_label, model._meta.model_name)] = (label, url_for)


def link(task) -> dict | None:
    """{"label", "url"} of the task's source page, or None when its source registered none."""
    ct = ContentType.objects.get_for_id(task.source_type_id)
    entry = _LINKS.get((ct.app_label, ct.model))
    if entry is None:
        return None
    label, url_for = entry
    return {"label": label, "url": url_for(task.source_id)}
