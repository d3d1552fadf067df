"""How a change of tasks is recorded, for one task or many at once: a TaskEvent (the
timeline), a simple-history row and an audit row, in the caller's transaction. Used by the
status machine (tasks.services), creation (tasks.creation) and bulk changes (tasks.bulk)."""

from accounts import audit

from .models import Task, TaskEvent

BATCH_SIZE = 2000


def known(user):
    """``user`` as a task's records name them: None for the system (generation, imports)."""
    return user if getattr(user, "pk", None) else None


def event(task, kind, user, message="", **data):
    """The records of one change of ``task``: its TaskEvent and audit row (the history row is
    written with the task row)."""
    ev = TaskEvent.objects.create(task=task, kind=kind, actor=user, message=message, data=data)
    audit.record(f"tasks.{kind}", user=user, obj=task, **{k: v for k, v in data.items() if k != "obj"}, message=message)
    return ev


def record_many(ids, kind, actor, message="", data_for=None, **data) -> list[tuple[TaskEvent, Task]]:
    """The per-task records of a bulk change: TaskEvent, history row, audit row. Returns each
    event with its task (as changed)."""
    actor = known(actor)
    tasks = list(Task.objects.filter(pk__in=ids).select_related("org").order_by("pk"))
    per_task = {t.pk: {**data, **(data_for(t.pk) if data_for else {})} for t in tasks}
    events = TaskEvent.objects.bulk_create(
        [TaskEvent(task_id=t.pk, kind=kind, actor=actor, message=message, data=per_task[t.pk]) for t in tasks],
        batch_size=BATCH_SIZE,
    )
    Task.history.bulk_history_create(tasks, update=True, default_user=actor, default_change_reason=kind,
                                     batch_size=BATCH_SIZE)
    audit.record_many(f"tasks.{kind}", tasks, user=actor, message=message, detail_for=lambda t: per_task[t.pk])
    return list(zip(events, tasks))
