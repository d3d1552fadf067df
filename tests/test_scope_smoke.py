from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.scope import visible_to


def test_town_secretary_reaches_own_subtree_only(county):
    names = set(visible_to(county.t1_party).values_list("name", flat=True))
    assert names == {"城关镇", "东村", "西村"}


def test_visible_to_is_one_query(county):
    with CaptureQueriesContext(connection) as ctx:
        list(visible_to(county.staff))
    assert len(ctx.captured_queries) == 1
