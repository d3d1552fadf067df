"""The daily beat job of inspections (installed after every ``migrate`` by ``accounts.schedule``)."""

from accounts.schedule import Job

DAILY_NAME = "inspections: 五书制 escalation, team access, findings (daily 07:00)"
DAILY_TASK = "inspections.tasks.daily"
JOBS = (Job(DAILY_NAME, DAILY_TASK, minute="5", hour="7"),)
