"""URLs of the tasks app, under /tasks/. Two files so two people can own them:
urls_list.py — the filtered task list (the dashboard's drill-down, county staff's search);
urls_work.py — my tasks, a task's page, evidence, review queue, extensions."""

from .urls_list import urlpatterns as list_patterns
from .urls_work import urlpatterns as work_patterns

app_name = "tasks"

urlpatterns = [*list_patterns, *work_patterns]
