"""The rows of the three long task lists — 任务列表, 我的任务, 审核队列 — as HTML.

Written here rather than in the templates: Django's template engine resolved ~12 variables
per row (600–800 a page), the largest cost of these pages after the database
(bench/tasks_pages.py). Each row is one ``str.format`` of values passed through ``esc`` —
the standard library's ``html.escape``, which is what Django's ``escape`` (and so ``{{ }}``)
calls, without its lazy-string wrapper, the largest cost left in these rows; the templates
output the joined rows.
"""

import html

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext

from .models import Task
from .templatetags.task_work import colour_css, person, status_badge
from .warnings import colour_of

LIST_ROW = (
    '<a href="{prefix}{pk}/" class="list-group-item list-group-item-action task-row qd-colour-{colour}" '
    'data-task="{pk}" data-colour="{colour}">'
    '<div class="d-flex justify-content-between gap-2"><div class="fw-semibold text-break">{title}</div>'
    '<span class="badge text-bg-light border flex-shrink-0">{status}</span></div>'
    '<div class="small text-muted text-break">{org} · {period} · {due_label} {due}{completed}</div></a>\n'
)
MINE_ROW = (
    '<a href="{prefix}{pk}/" class="list-group-item list-group-item-action qd-colour-bar {css} task-row" data-task="{pk}">'
    '<div class="d-flex justify-content-between align-items-start gap-2"><div class="fw-semibold text-break">{title}</div>'
    '<span class="badge text-bg-{badge} flex-shrink-0">{status}</span></div>'
    '<div class="small text-muted text-break">{org} · {period} · {due_label} {due}{hint}</div>{returned}</a>\n'
)
QUEUE_ROW = (
    '<a href="{prefix}{pk}/" class="list-group-item list-group-item-action qd-colour-bar {css} queue-row" data-task="{pk}">'
    '<div class="d-flex justify-content-between gap-2"><div class="fw-semibold text-break">{org} · {title}</div>'
    '<span class="small text-muted flex-shrink-0">{submitted}</span></div>'
    '<div class="small text-muted text-break">{period} · {due_label} {due} · {by} · '
    '<i class="bi bi-paperclip"></i>{files}</div>'
    '<div class="small text-break">{note}</div></a>\n'
)


def esc(value) -> str:
    """``value`` as HTML text: exactly ``django.utils.html.escape`` (&, <, >, " and ')."""
    return html.escape(str(value))


def _prefix() -> str:
    return esc(reverse("tasks:detail", args=[0])[:-2])


def _labels() -> dict[str, str]:
    return {value: str(label) for value, label in Task.Status.choices}


def _join(parts: list[str]) -> SafeString:
    return mark_safe("".join(parts))  # noqa: S308 — every value in every part went through esc()


def list_rows(tasks, as_of) -> SafeString:
    """任务列表: colour by tasks.warnings' rule as of ``as_of``, status, org, period, due date
    and (if any) the completion date."""
    labels, prefix = _labels(), _prefix()
    due_label, completed_label = esc(gettext("due")), esc(gettext("completed"))
    out = []
    for t in tasks:
        completed = f" · {completed_label} {t.completed_on.isoformat()}" if t.completed_on else ""
        out.append(LIST_ROW.format(
            prefix=prefix, pk=t.pk, colour=colour_of(t, as_of), title=esc(t.title),
            status=esc(labels.get(t.status, t.status)), org=esc(t.org.name), period=esc(t.period_label),
            due_label=due_label, due=t.due_date.isoformat(), completed=completed,
        ))
    return _join(out)


def mine_rows(tasks, css: str) -> SafeString:
    """我的任务, one colour group (``css``: its class): the 台账 hint, and the return reason of
    a returned task."""
    labels, prefix = _labels(), _prefix()
    due_label, ledger_label, returned_label = esc(gettext("due")), esc(gettext("Ledger")), esc(gettext("Returned"))
    css = esc(css)
    out = []
    for t in tasks:
        hint = f'<br><i class="bi bi-paperclip"></i> {ledger_label}：{esc(t.evidence_hint)}' if t.evidence_hint else ""
        returned = ""
        if t.return_reason and t.status == Task.Status.RETURNED:
            returned = ('<div class="small text-danger text-break"><i class="bi bi-arrow-return-left"></i> '
                        f'{returned_label}：{esc(Truncator(t.return_reason).chars(80))}</div>')
        out.append(MINE_ROW.format(
            prefix=prefix, pk=t.pk, css=css, title=esc(t.title), badge=esc(status_badge(t.status)),
            status=esc(labels.get(t.status, t.status)), org=esc(t.org.name), period=esc(t.period_label),
            due_label=due_label, due=t.due_date.isoformat(), hint=hint, returned=returned,
        ))
    return _join(out)


def queue_rows(tasks, today) -> SafeString:
    """审核队列: who submitted and when (local time), how many files, the note's start."""
    prefix, due_label = _prefix(), esc(gettext("due"))
    out = []
    for t in tasks:
        submitted = timezone.localtime(t.submitted_at).strftime("%m-%d %H:%M") if t.submitted_at else ""
        out.append(QUEUE_ROW.format(
            prefix=prefix, pk=t.pk, css=esc(colour_css(colour_of(t, today))), org=esc(t.org.name), title=esc(t.title),
            submitted=submitted, period=esc(t.period_label), due_label=due_label, due=t.due_date.isoformat(),
            by=esc(person(t.submitted_by)), files=int(t.files or 0), note=esc(Truncator(t.note).chars(120)),
        ))
    return _join(out)
