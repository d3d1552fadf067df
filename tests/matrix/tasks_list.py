"""The filtered task list (``tasks:list``, owned by the reports engineer) × role.

A read for everyone signed in; the scope filters the rows (an org outside the
reader's scope gives an empty list, never another town's tasks)."""

from tests.matrix import Route

APP = "tasks"

PAGE = {"staff": 200, "t1_party": 200, "t2_disc": 200, "v11_disc": 200, "nobody": 200}

ROUTES = [
    Route("list", expect=PAGE),
    Route("list", data={"org": "T1", "figure": "due", "due_from": "2026-07-01", "due_to": "2026-09-30", "as_of": "2026-09-20"}, expect=PAGE),
    Route("list", data={"colour": "red", "as_of": "2026-09-20", "q": "事项"}, expect=PAGE),
    # the list's rows as .xlsx: the same scope and filters (tests/tasks_list/test_export.py checks the rows)
    Route("list_export", expect=PAGE),
    Route("list_export", data={"level": "village", "status": "approved"}, expect=PAGE),
]

# expected rows when listing T1 by user (the scope decides): county staff and the town see 城关镇's tasks
VISIBLE_T1 = {"staff": True, "t1_party": True, "t2_disc": False, "v11_disc": "village", "nobody": False}


def setup(county) -> dict:
    from tests.reports.conftest import populate

    populate(county)
    return {}
