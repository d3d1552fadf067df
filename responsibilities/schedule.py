"""The beat job that keeps generation current (installed after every ``migrate`` by
``accounts.schedule``)."""

from accounts.schedule import Job

TASK_NAME = "tasks.generate_current"
SCHEDULE_NAME = "qingdan: generate duty tasks (daily 01:10)"
JOBS = (Job(SCHEDULE_NAME, TASK_NAME, minute="10", hour="1"),)
