"""Task counts kept beside the tasks, so pages over a large subtree read a few thousand
counts instead of every task (tasks.tally says how they are kept and why they are exact).

A row counts the tasks of every org *strictly below* ``node`` (an org's materialised path)
sharing the same key. The state columns carry the names of the Task columns the warning
rule and the dashboard figures read, so ``tasks.warnings.colour_q`` and
``tasks.figures.figure_q`` filter these rows as they filter tasks; ``completed_on`` and
``approved_on`` hold a representative date, not the real one (see tasks.tally)."""

from django.db import models

STATE_FIELDS = ("due_date", "status", "completed_on", "approved_on", "extension_count")


class _Counts(models.Model):
    node = models.CharField(max_length=255)
    due_date = models.DateField()
    status = models.CharField(max_length=16)
    completed_on = models.DateField(null=True)
    approved_on = models.DateField(null=True)
    extension_count = models.PositiveSmallIntegerField()  # 0 or 1: extended or not
    n = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class TaskTally(_Counts):
    """Counts by subtree × due date × state: the dashboard's and progress's rows by org."""

    KEY = ("node", *STATE_FIELDS)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["node", *STATE_FIELDS], name="tasktally_key", nulls_distinct=False)]


class ItemTally(_Counts):
    """Counts by subtree × item (source, title, category) × due date × state: the
    dashboard's categories and most-often-late items, progress by item."""

    source_type_id = models.PositiveIntegerField()
    source_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    category = models.CharField(max_length=16)

    KEY = ("node", "due_date", "source_type_id", "source_id", "title", "category", *STATE_FIELDS[1:])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["node", "due_date", "source_type_id", "source_id", "title", "category",
                                                       *STATE_FIELDS[1:]], name="itemtally_key", nulls_distinct=False)]
