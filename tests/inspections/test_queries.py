"""Pages and the ledger cost a fixed number of queries whatever the number of findings and measures."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from .conftest import at, make_finding, make_inspection, make_measure

pytestmark = pytest.mark.django_db


def _county_with(county, leader, n):
    insp = make_inspection(county, leader, [])
    for _ in range(n):
        finding = make_finding(county, insp)
        make_measure(county, finding, deadline=date(2026, 7, 31))
        make_measure(county, finding, deadline=date(2026, 8, 31), org=county.v11)
    return insp


@pytest.mark.parametrize("name", ["inspection_detail", "ledger_export", "round_detail", "index"])
def test_constant_queries(county, leader, client, django_assert_max_num_queries, name):
    with time_machine.travel(at(2026, 5, 1, 9), tick=False):
        insp = _county_with(county, leader, 12)
        client.force_login(county.t1_party)
        kwargs = {"inspection_detail": {"pk": insp.pk}, "round_detail": {"pk": insp.round_id}}.get(name, {})
        url = reverse(f"inspections:{name}", kwargs=kwargs)
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200
