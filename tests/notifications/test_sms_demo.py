"""``make run``'s SMS demo: seed_sms_demo gives the demo people made-up numbers with SMS on, and the
local gateway's phone page shows what each number received, its link to the site."""

import urllib.request
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from notifications.models import Preference
from tests.clock import at
from tests.notifications.conftest import sweep_and_send
from tests.notifications.factories import make_task

pytestmark = pytest.mark.django_db


def seed() -> dict:
    out = StringIO()
    call_command("seed_sms_demo", stdout=out)
    return dict(pair.split("=", 1) for pair in out.getvalue().strip().split(","))


def test_demo_people_get_numbers_and_their_sms_shows_on_the_phone_page(county, rules, sms_gateway):
    people = seed()
    person = county.v11_disc
    person.refresh_from_db()
    assert person.mobile.startswith("199") and len(person.mobile) == 11
    assert people[person.mobile] == f"{person.get_full_name()}（{person.username}）"
    assert Preference.objects.get(user=person).sms_enabled
    assert seed() == people  # idempotent: the numbers stay

    sms_gateway.people = people
    make_task(county.v11, date(2026, 11, 18), title="召开专题会议")
    sweep_and_send(at(2026, 11, 18, 9))
    with urllib.request.urlopen(f"{sms_gateway.base}/_phone/?to={person.mobile}", timeout=5) as answer:
        page = answer.read().decode()
    assert "【示范县纪委监委】您有1项主体责任清单事项待办：" in page and "召开专题会议" in page
    assert 'href="https://qingdan.example.gov.cn/tasks/' in page and person.username in page


def test_the_demo_numbers_are_never_given_with_a_real_gateway(settings):
    settings.QINGDAN_SMS_URL = "https://sms.example.gov.cn/send"
    with pytest.raises(CommandError):
        call_command("seed_sms_demo")
