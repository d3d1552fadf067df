"""Scores recomputed by hand for a small county (conftest.scored) and compared."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.utils import translation

from assessment.scoring import YearNotPublished, interview_flags, org_scores

from .conftest import adjust, make_item, make_list, task_for

END = date(2026, 12, 31)


def all_orgs(c):
    return [c.town1, c.town2, c.v11, c.v12, c.v21, c.office, c.commission]


def test_hand_computed_town1(scored):
    s = org_scores(2026, [scored.town1], as_of=END)[scored.town1.pk]
    # A on time 3/3; B partial (1 each, cap 2): two on time of three → min(2, 2)/min(2, 3) = 2/2;
    # 一岗双责: member 2/2, secretary late at 50 % 1/2 → averaged 1.5/2.  earned 6.5 / max 7.
    assert (s.earned, s.maximum) == (D("6.50"), D("7.00"))
    assert s.base == D("92.86")                       # 6.5 / 7 × 100
    assert s.bonus == D("10")                         # 15 capped at 10 (experience)
    assert s.deduction == D("3")
    assert (s.measures_late, s.measure_deduction) == (1, D("2"))
    assert s.score == D("97.86")                      # 92.86 + 10 − 3 − 2
    assert s.grade == "good"
    assert s.members == 2
    # the 2025 task and the cancelled one are not counted: 3 (A) + 3 (B) + 2 (M)
    assert (s.due, s.on_time, s.late, s.not_done) == (6, 4, 1, 1)


def test_hand_computed_all(scored):
    c = scored
    s = org_scores(2026, all_orgs(c), as_of=END)
    t2 = s[c.town2.pk]
    # A open 0/3; B one late: 1 × 50 % of min(2, 1) → 0.5 / (3 + 1) = 12.5
    assert (t2.earned, t2.maximum, t2.score, t2.grade) == (D("0.50"), D("4.00"), D("12.50"), "poor")
    assert (s[c.town1.pk].rank, t2.rank, t2.peers) == (1, 2, 2)
    v11, v12, v21 = s[c.v11.pk], s[c.v12.pk], s[c.v21.pk]
    assert (v11.score, v11.grade) == (D("50.00"), "poor")          # late at 50 %
    assert (v12.score, v12.grade, v12.veto) == (D("99.99"), "poor", True)   # 一票否决 (0.01 deducted)
    assert (v11.rank, v12.rank, v11.peers) == (1, 2, 2)           # vetoed after the others, within 城关镇
    assert (v21.score, v21.rank, v21.peers) == (D("0.00"), 1, 1)  # submitted, not approved: 0; alone in 河口镇
    office, commission = s[c.office.pk], s[c.commission.pk]
    assert office.score is None and office.rank is None and office.grade == ""  # nothing due: "—", never 100
    assert commission.score == D("0.00")                          # approved after the as-of date
    assert commission.rank == 1 and commission.peers == 1


def test_as_of_counts_later_approval(scored):
    c = scored
    s = org_scores(2026, [c.commission, c.town1], as_of=date(2027, 1, 10))
    assert s[c.commission.pk].score == D("100.00")
    mid = org_scores(2026, [c.town1], as_of=date(2026, 2, 28))[c.town1.pk]
    # due by 28 Feb: B ×2 on time → 2/2 (cap) → 100; no late measure yet, and the adjustments
    # were entered after 28 Feb (created today) so they do not count as of then
    assert (mid.earned, mid.maximum, mid.score) == (D("2.00"), D("2.00"), D("100.00"))
    assert (mid.bonus, mid.deduction, mid.measure_deduction) == (0, 0, 0)


def test_default_rule_late_share_zero(county):
    item = make_item(make_list(2026), 4)   # no ScoringRule row for 2026: the defaults
    task_for(item, county.town1, date(2026, 3, 31), status="approved", completed=date(2026, 4, 2), approved=date(2026, 4, 3))
    task_for(item, county.town1, date(2026, 6, 30), status="approved", completed=date(2026, 6, 2), approved=date(2026, 6, 3))
    s = org_scores(2026, [county.town1], as_of=END)[county.town1.pk]
    assert (s.earned, s.maximum, s.score) == (D("4.00"), D("8.00"), D("50.00"))


def test_returned_then_approved_counts_by_final_dates(county):
    item = make_item(make_list(2026), 2)
    t = task_for(item, county.v11, date(2026, 3, 31), status="returned", completed=date(2026, 3, 1))
    assert org_scores(2026, [county.v11], as_of=END)[county.v11.pk].score == D("0.00")
    t.status, t.completed_on, t.approved_on = "approved", date(2026, 3, 20), date(2026, 4, 20)
    t.save()
    assert org_scores(2026, [county.v11], as_of=END)[county.v11.pk].score == D("100.00")


def test_unpublished_year_is_a_clear_message(county):
    make_list(2030, status="draft")
    with translation.override("en"), pytest.raises(YearNotPublished) as e:
        org_scores(2030, [county.town1])
    assert "2030" in e.value.messages[0] and "not published" in e.value.messages[0]
    with translation.override("zh-hans"), pytest.raises(YearNotPublished) as e:
        org_scores(2030, [county.town1])
    assert "2030" in e.value.messages[0] and "not published" not in e.value.messages[0]  # from the catalog


def test_bounded_queries(scored, django_assert_max_num_queries):
    c = scored
    with django_assert_max_num_queries(5):
        org_scores(2026, all_orgs(c), as_of=END)
    cl = make_list(2026)
    for _i in range(6):  # more items (some partial), orgs and tasks: same number of queries
        item = make_item(cl, 1, each=1, cap=3)
        for org in all_orgs(c):
            task_for(item, org, date(2026, 5, 1), status="approved", completed=date(2026, 4, 1), approved=date(2026, 4, 2))
    with django_assert_max_num_queries(5):
        org_scores(2026, all_orgs(c), as_of=END)


def test_interview_flags_two_years_running(county):
    c = county
    town3 = c.county.add_child(name="三镇", code="T3", kind="town", subkind="镇")
    staff = c.users["staff"]

    def year(y, scores):
        item = make_item(make_list(y), 10)
        for org, pct in scores.items():
            t = task_for(item, org, date(y, 6, 30))
            if pct:
                adjust(org, y, "other", 100 - pct, staff) if pct < 100 else None
                t.status, t.completed_on, t.approved_on = "approved", date(y, 6, 1), date(y, 6, 2)
                t.save()

    year(2025, {town3: 100, c.town1: 95, c.town2: 0})
    year(2026, {c.town1: 100, town3: 95, c.town2: 0})
    flags = interview_flags(2026, as_of=END)
    assert c.town2.pk in flags                # bottom two in 2025 and 2026
    assert c.town1.pk not in flags            # bottom two in 2025 only
    assert town3.pk not in flags              # bottom two in 2026 only
    # villages of a town with only one or two villages are never "bottom two"
    assert c.v11.pk not in flags and c.v21.pk not in flags
    assert interview_flags(2027, as_of=END) == set()   # 2027 unpublished → no flags, no crash


def test_ranks_do_not_depend_on_which_orgs_are_asked(scored):
    c = scored
    alone = org_scores(2026, [c.town2.pk], as_of=END)[c.town2.pk]   # ids work as well as OrgUnits
    together = org_scores(2026, all_orgs(c), as_of=END)[c.town2.pk]
    assert (alone.score, alone.rank, alone.peers) == (together.score, together.rank, together.peers) == (D("12.50"), 2, 2)


def test_category_without_cap_is_not_capped(scored):
    c = scored
    adjust(c.town2, 2026, "cases", 30, c.users["staff"])            # no CategoryCap for "cases" in 2026
    s = org_scores(2026, [c.town2], as_of=END)[c.town2.pk]
    assert (s.bonus, s.score) == (D("30"), D("42.50"))


def test_adjustment_counts_by_its_local_entry_date(scored):
    """Entered by D means by the end of D in Asia/Shanghai (not UTC)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from assessment.models import Adjustment

    c, bj = scored, ZoneInfo("Asia/Shanghai")
    late_evening = adjust(c.town2, 2026, "other", 1, c.users["staff"])
    next_morning = adjust(c.town2, 2026, "other", 2, c.users["staff"])
    Adjustment.objects.filter(pk=late_evening.pk).update(created_at=datetime(2026, 6, 30, 23, 30, tzinfo=bj))
    Adjustment.objects.filter(pk=next_morning.pk).update(created_at=datetime(2026, 7, 1, 0, 10, tzinfo=bj))
    assert org_scores(2026, [c.town2], as_of=date(2026, 6, 30))[c.town2.pk].deduction == D("1")
    assert org_scores(2026, [c.town2], as_of=date(2026, 7, 1))[c.town2.pk].deduction == D("3")
