"""The beat job of the 廉政风险点 yearly review (installed after every ``migrate`` by
``accounts.schedule``; an administrator may disable it and migrate leaves it off).

Schedule: 02:30 on the 1st of every month, Asia/Shanghai. The year's review tasks appear on
1 January; the monthly repeat creates nothing twice (``ensure_risk_reviews`` is exactly-once
by the Task's unique key) but catches up when the beat was down on 1 January and gives an
org that registers its first risk points during the year its review task of that year (due
QINGDAN_RISK_REVIEW_DUE, default 20 December)."""

from accounts.schedule import Job

REVIEWS_NAME = "assessment: 廉政风险点 yearly review tasks (1st of each month 02:30)"
REVIEWS_TASK = "assessment.tasks.risk_reviews"
CRONTAB = {"minute": "30", "hour": "2", "day_of_week": "*", "day_of_month": "1", "month_of_year": "*"}
JOBS = (Job(REVIEWS_NAME, REVIEWS_TASK, **CRONTAB),)
