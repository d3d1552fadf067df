"""Turning outbox rows into words. Rendered at send time, in the site language (Chinese)."""

from collections import OrderedDict
from datetime import date

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _, ngettext

from accounts.dates import day
from responsibilities.models import Holiday
from tasks.models import Task
from tasks.warnings import Colour, colour_of, colour_q

from ..channels import Message
from ..models import EVENT_KINDS, Kind, ReminderSettings

DIGEST_TOP = 10
_MD = str.maketrans({"[": "［", "]": "］", "*": "＊", "_": "＿", "`": "＇", "#": "＃", "<": "＜", ">": "＞", "\n": " "})


class Skip(Exception):
    """The row has nothing left to say (e.g. no overdue task for a digest)."""


def md(text) -> str:
    """Neutralise markdown in user-supplied text (titles, names) for group robots."""
    return str(text or "").translate(_MD)


def task_link(task_id: int) -> str:
    return reverse("tasks:detail", args=[task_id])


def overdue_list_link() -> str:
    return reverse("tasks:list") + "?colour=red"


def absolute(link: str) -> str:
    base = settings.QINGDAN_SITE_URL
    return f"{base}{link}" if base and link.startswith("/") else ""


_d = day   # the one date style (accounts.dates)


def _task_title(row, task: Task) -> str:
    if row.kind == Kind.DUE_SOON:
        days = (task.due_date - row.business_date).days
        return ngettext("Due in %(days)d day: %(title)s", "Due in %(days)d days: %(title)s", days) % {
            "days": days, "title": task.title}
    if row.kind == Kind.DUE_TODAY:
        return _("Due today: %(title)s") % {"title": task.title}
    days = (row.business_date - task.due_date).days
    if row.kind == Kind.OVERDUE:
        return ngettext("Overdue by %(days)d day: %(title)s", "Overdue by %(days)d days: %(title)s", days) % {
            "days": days, "title": task.title}
    return _("Escalation: %(org)s is %(days)d days overdue on “%(title)s”") % {
        "org": task.org.name, "days": days, "title": task.title}


def _task_message(row) -> Message:
    task = row.task
    lines = [
        f"{task.org.name} · {task.period_label}",
        _("Due date: %(date)s") % {"date": _d(task.due_date)},
    ]
    if task.requirement:
        lines.append(_("Requirement: %(text)s") % {"text": task.requirement[:300]})
    if row.kind == Kind.ESCALATION:
        lines.append(_("As the level above, please follow up with %(org)s until it is done.") % {"org": task.org.name})
    elif row.kind == Kind.OVERDUE:
        lines.append(_("Please complete it and submit the record as soon as possible."))
    else:
        lines.append(_("Please complete it and submit the record before the due date."))
    return Message(title=_task_title(row, task)[:200], text="\n".join(lines), link=task_link(task.pk))


def _iso(value) -> str:
    try:
        return _d(date.fromisoformat(str(value)))
    except ValueError:
        return str(value or "")


def _event_title(row, task: Task) -> str:
    data = row.data or {}
    closure = task.kind == Task.Kind.RECTIFICATION
    if row.kind == Kind.SUBMITTED:
        text = _("Closure requested, please verify: %(title)s") if closure else _("Awaiting your review: %(title)s")
    elif row.kind == Kind.RETURNED:
        text = _("Closure not granted, returned: %(title)s") if closure else _("Returned to you: %(title)s")
    elif row.kind == Kind.APPROVED:
        text = _("Closed (rectification verified): %(title)s") if closure else _("Approved: %(title)s")
    elif row.kind == Kind.REOPENED:
        text = _("Reopened: %(title)s")
    elif row.kind == Kind.EXTENSION_ASKED:
        text = _("Extension requested: %(title)s")
    elif data.get("new_due"):
        text = _("Extension granted: %(title)s")
    else:
        text = _("Extension refused: %(title)s")
    return text % {"title": task.title}


def _event_message(row) -> Message:
    """A hand-over of one task (submitted, returned, approved …): what happened, by whom, why."""
    task, data = row.task, row.data or {}
    reason = str(data.get("text") or "")
    lines = [f"{task.org.name} · {task.period_label}"]
    if data.get("by"):
        lines.append(_("By: %(name)s") % {"name": data["by"]})
    if row.kind == Kind.SUBMITTED:
        lines.append(_("What was done: %(text)s") % {"text": reason[:300]})
        lines.append(_("Please review it: approve it or return it with a reason."))
    elif row.kind in (Kind.RETURNED, Kind.REOPENED):
        lines.append(_("Reason: %(text)s") % {"text": reason})
        lines.append(_("Due date: %(date)s") % {"date": _d(task.due_date)})
        lines.append(_("Please correct it and submit it again."))
    elif row.kind == Kind.APPROVED:
        if reason:
            lines.append(_("Comment: %(text)s") % {"text": reason})
    elif row.kind == Kind.EXTENSION_ASKED:
        lines.append(_("Asks to move the due date from %(old)s to %(new)s.") % {
            "old": _d(task.due_date), "new": _iso(data.get("requested_due"))})
        lines.append(_("Reason: %(text)s") % {"text": reason})
    elif data.get("new_due"):
        lines.append(_("New due date: %(date)s") % {"date": _d(task.due_date)})
        if reason:
            lines.append(_("Comment: %(text)s") % {"text": reason})
    else:
        lines.append(_("Reason: %(text)s") % {"text": reason})
        lines.append(_("Due date: %(date)s") % {"date": _d(task.due_date)})
    return Message(title=_event_title(row, task)[:200], text="\n".join(lines), link=task_link(task.pk))


def digest_content(user, business_date: date):
    """(count, [(org name, n)], [tasks]) of what is overdue in ``user``'s scope as of the date."""
    red = Task.objects.restrict(user, "view").filter(colour_q(Colour.RED, business_date))
    total = red.count()
    if not total:
        return 0, [], []
    by_org = list(red.values_list("org__name").annotate(n=Count("id")).order_by("-n", "org__name")[:DIGEST_TOP])
    oldest = list(red.select_related("org").order_by("due_date", "id")[:DIGEST_TOP])
    return total, by_org, oldest


def _digest_message(row) -> Message:
    total, by_org, oldest = digest_content(row.recipient, row.business_date)
    if not total:
        raise Skip(_("Nothing is overdue in the recipient's scope."))
    lines = [_("As of %(date)s, %(n)d tasks in your scope are overdue and not done.") % {
        "date": _d(row.business_date), "n": total}, "", _("By organisation:")]
    lines += [f"- {name}: {n}" for name, n in by_org]
    lines += ["", _("Longest overdue:")]
    lines += [
        "- " + _("%(org)s · %(title)s (due %(date)s, %(days)d days overdue)") % {
            "org": t.org.name, "title": t.title, "date": _d(t.due_date), "days": (row.business_date - t.due_date).days}
        for t in oldest
    ]
    title = _("Weekly digest: %(n)d overdue tasks in your scope") % {"n": total}
    return Message(title=title, text="\n".join(lines), link=overdue_list_link())


def _holiday_message(row, rules: ReminderSettings) -> Message:
    holiday = Holiday.objects.filter(pk=row.data.get("holiday")).first()
    if holiday is None:
        raise Skip(_("The holiday was removed from the calendar."))
    title = _("Pre-holiday integrity reminder: %(holiday)s") % {"holiday": holiday.get_name_display()}
    return Message(title=title, text=rules.holiday_message(holiday, row.business_date))


def user_message(row, rules: ReminderSettings | None = None) -> Message:
    """The message for one recipient row (in-app / e-mail)."""
    with translation.override(settings.LANGUAGE_CODE):
        if row.task_id and row.kind in EVENT_KINDS:
            return _event_message(row)
        if row.task_id:
            return _task_message(row)
        if row.kind == Kind.DIGEST:
            return _digest_message(row)
        if row.kind == Kind.HOLIDAY:
            return _holiday_message(row, rules or ReminderSettings.load())
        data = row.data or {}
        return Message(title=str(data.get("title", ""))[:200] or _("Notice"), text=str(data.get("body", "")),
                       link=str(data.get("link", "")))


# Most urgent first: what the level above must chase, what is late, what is due today, what is coming.
URGENCY = {Kind.ESCALATION: 0, Kind.OVERDUE: 1, Kind.DUE_TODAY: 2, Kind.DUE_SOON: 3}


def by_urgency(rows) -> list:
    """One row per task (its most urgent), most urgent first, then the earliest due date."""
    best = {}
    for r in sorted(rows, key=lambda r: (URGENCY.get(r.kind, 9), r.task.due_date, r.task_id)):
        best.setdefault(r.task_id, r)
    return list(best.values())


def _item(row) -> dict:
    task = row.task
    if row.kind == Kind.ESCALATION:
        days = (row.business_date - task.due_date).days
        when = _("%(org)s, %(days)d days overdue: please follow up") % {"org": task.org.name, "days": days}
    elif row.kind == Kind.OVERDUE:
        when = _("%(days)d days overdue") % {"days": (row.business_date - task.due_date).days}
    elif row.kind == Kind.DUE_TODAY:
        when = _("due today")
    else:
        when = _("due %(date)s") % {"date": _d(task.due_date)}
    return {"task": task.pk, "kind": str(row.kind), "title": task.title[:200], "when": when,
            "link": task_link(task.pk), "colour": colour_of(task, row.business_date)}


def envelope_message(rows) -> Message:
    """One message for a person's reminders on one channel (rows: REMINDER_KINDS, each with its
    task loaded): the tasks most urgent first, at most QINGDAN_GROUP_MESSAGE_MAX_ITEMS of them,
    then "… and N more" leading to 我的任务. A single task reads as its own reminder."""
    with translation.override(settings.LANGUAGE_CODE):
        ordered = by_urgency(rows)
        if len(ordered) == 1:
            return _task_message(ordered[0])
        limit = settings.QINGDAN_GROUP_MESSAGE_MAX_ITEMS
        items = [_item(r) for r in ordered[:limit]]
        more = len(ordered) - len(items)
        counts = OrderedDict((k, 0) for k in URGENCY)
        for r in ordered:
            counts[r.kind] += 1
        summary = "、".join(f"{Kind(k).label} {n}" for k, n in counts.items() if n)
        title = _("%(n)d checklist reminders: %(summary)s") % {"n": len(ordered), "summary": summary}
        lines = [f"- {i['title']}（{i['when']}）" for i in items]
        if more:
            lines.append(_("… and %(n)d more: see My tasks") % {"n": more})
        return Message(title=title[:200], text="\n".join(lines), link=reverse("tasks:mine"), items=items, more=more,
                       count=len(ordered))


SECTION_TITLES = OrderedDict([
    (Kind.OVERDUE, lambda n: ngettext("Overdue (%(n)d)", "Overdue (%(n)d)", n) % {"n": n}),
    (Kind.DUE_TODAY, lambda n: ngettext("Due today (%(n)d)", "Due today (%(n)d)", n) % {"n": n}),
    (Kind.DUE_SOON, lambda n: ngettext("Due soon (%(n)d)", "Due soon (%(n)d)", n) % {"n": n}),
])


def group_message(webhook, rows, rules: ReminderSettings | None = None) -> Message:
    """One markdown message for one robot: every row of the batch, grouped by kind."""
    with translation.override(settings.LANGUAGE_CODE):
        org = webhook.org
        day = min(r.business_date for r in rows)
        title = _("%(org)s · checklist reminders") % {"org": org.name}
        parts = [f"### {md(title)}", f"> {_d(day)}", ""]
        plain = [title, _d(day)]
        limit = settings.QINGDAN_GROUP_MESSAGE_MAX_ITEMS
        holidays = [r for r in rows if r.kind == Kind.HOLIDAY]
        for r in holidays:
            try:
                msg = _holiday_message(r, rules or ReminderSettings.load())
            except Skip:
                continue
            parts += [f"**{md(msg.title)}**", "", md(msg.text), ""]
            plain += [msg.title, msg.text]
        for kind, heading in SECTION_TITLES.items():
            items = sorted((r for r in rows if r.kind == kind and r.task_id), key=lambda r: (r.task.due_date, r.task_id))
            if not items:
                continue
            parts.append(f"**{heading(len(items))}**")
            for r in items[:limit]:
                t = r.task
                if kind == Kind.OVERDUE:
                    when = _("%(days)d days overdue") % {"days": (r.business_date - t.due_date).days}
                else:
                    when = _("due %(date)s") % {"date": _d(t.due_date)}
                line = f"{md(t.title)}（{md(t.period_label)}）· {when}"
                link = absolute(task_link(t.pk))
                parts.append(f"- [{line}]({link})" if link else f"- {line}")
                plain.append(f"- {t.title} · {when}")
            if len(items) > limit:
                more = _("… and %(n)d more") % {"n": len(items) - limit}
                parts.append(f"- {more}")
            parts.append("")
        link = absolute(reverse("tasks:list"))
        if link:
            parts.append(f"[{_('Open the checklist system')}]({link})")
        return Message(title=title[:60], text="\n".join(plain), markdown="\n".join(parts).strip())
