"""What a person has to do today: the counts of the home page and of the API's ``me/`` —
computed by one function — and the filter behind each count, which 我的任务 (``?show=…``)
applies, so that a count and the list it links to cannot disagree.

* due this week — my tasks not done, due from today to Sunday;
* overdue — my tasks the warning rule colours red;
* returned to me — my tasks returned (to be corrected and submitted again);
* awaiting my review — submitted work in my review queue (not my own)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.scope import reaches, reaches_below

from .models import Task
from .queue import waiting
from .views.mine import my_tasks
from .warnings import DONE, Colour, colour_q


def week_end(today: date) -> date:
    return today + timedelta(days=6 - today.weekday())


def show_q(name: str, today: date) -> Q:
    """The filter of one of my-task counts (``SHOWS``)."""
    if name == "due_this_week":
        return ~DONE.q(today) & Q(due_date__gte=today, due_date__lte=week_end(today))
    if name == "overdue":
        return colour_q(Colour.RED, today)
    if name == "returned":
        return Q(status=Task.Status.RETURNED)
    raise KeyError(name)


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    icon: str
    look: str  # a Bootstrap text colour


SHOWS = {
    "due_this_week": Figure("due_this_week", _("Due this week"), "calendar-week", "warning"),
    "overdue": Figure("overdue", _("Overdue"), "exclamation-triangle", "danger"),
    "returned": Figure("returned", _("Returned to me"), "arrow-return-left", "danger"),
}
REVIEW = Figure("awaiting_my_review", _("Awaiting my review"), "clipboard-check", "primary")


def today_counts(user, today: date, memberships=None) -> dict[str, int]:
    """{due_this_week, overdue, returned, awaiting_my_review}: one query over my tasks, one
    count of the review queue (none for a user who reviews nowhere)."""
    counts = my_tasks(user, today, memberships).order_by().aggregate(
        **{key: Count("id", filter=show_q(key, today)) for key in SHOWS}
    )
    counts[REVIEW.key] = waiting(user).count() if reaches(user, "review") else 0
    return counts


def today_figures(user, today: date) -> list[dict]:
    """The counts with their labels and the link to the list showing exactly those tasks
    (the person's own counts if they record work, the review queue's if they review)."""
    # a village officer reviews no org below theirs: no review count on their home page
    works, reviews = reaches(user, "work"), reaches(user, "review") and reaches_below(user)
    if not (works or reviews):
        return []
    counts = today_counts(user, today)
    mine = reverse("tasks:mine")
    out = []
    if works:
        out += [{"figure": f, "n": counts[key], "url": f"{mine}?show={key}"} for key, f in SHOWS.items()]
    if reviews:
        out.append({"figure": REVIEW, "n": counts[REVIEW.key], "url": reverse("tasks:review_queue")})
    return out
