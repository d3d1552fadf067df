"""The reminder sweep's beat job (installed after every ``migrate`` by ``accounts.schedule``).

One crontab, every minute, Asia/Shanghai. The weekly digest and the business-date rules
live inside the sweep, not in crontabs, so a beat that was down sends what it missed once
when it is back."""

from accounts.schedule import Job

SWEEP_NAME = "notifications: reminder sweep (every minute)"
SWEEP_TASK = "notifications.tasks.sweep"
JOBS = (Job(SWEEP_NAME, SWEEP_TASK),)
