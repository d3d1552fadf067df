"""Due rules read as people say them, from the one describer (responsibilities.due_rules)
that the duty-list pages use."""

import pytest
from django.utils import translation

from responsibilities.due_rules import describe


@pytest.mark.parametrize("rule, words", [
    (("M", "fixed", 0, "25"), "每月25日前"),
    (("Q", "fixed", 0, "25"), "每季度末月25日前"),
    (("H", "fixed", 0, "20"), "每半年末月20日前"),
    (("Y", "fixed", 0, "03-31"), "每年3月31日前"),
    (("O", "fixed", 0, "12-06"), "12月6日前"),
    (("M", "before_end", 0, ""), "每月月底前"),
    (("Q", "before_end", 5, ""), "每季度末前5天"),
    (("Y", "before_end", 0, ""), "每年年底前"),
    (("F", "before_holiday", 3, ""), "每个节日前3天"),
    (("E", "before_end", 0, ""), "每次下发时确定截止日期"),
])
def test_due_rule_in_words(rule, words):
    with translation.override("zh-hans"):
        assert describe(*rule) == words
    with translation.override("en"):
        assert "周期" not in describe(*rule) and describe(*rule)


def test_the_duty_list_page_says_it_so(county, client, db):
    from responsibilities.models import Checklist, ChecklistItem

    cl = Checklist.objects.create(year=2026, level="town", bearer="discipline", title="2026年清单", status="published")
    ChecklistItem.objects.create(checklist=cl, seq=1, title="听取汇报", category="supervisory", frequency="Q",
                                 due_rule="fixed", due_month_day="25")
    client.force_login(county.staff)
    from django.urls import reverse

    html = client.get(reverse("responsibilities:detail", args=[cl.pk])).content.decode()
    assert "每季度末月25日前" in html and "周期最后一个月" not in html
