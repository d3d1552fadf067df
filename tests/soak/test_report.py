"""The soak's judgement of the robots' posts (soak/report.py), on its own: the soak can meet a
worker killed during a post only by chance."""

from collections import Counter

from soak.report import robot_posts_differ

A, B = "/cgi-bin/webhook/send?key=a", "/cgi-bin/webhook/send?key=b"


def test_each_batch_posted_once_holds():
    assert not robot_posts_differ(Counter({A: 2, B: 1}), Counter({A: 2, B: 1}), Counter())


def test_a_batch_of_unknown_outcome_may_arrive_once_or_not_at_all():
    assert not robot_posts_differ(Counter({A: 3}), Counter({A: 2}), Counter({A: 1}))
    assert not robot_posts_differ(Counter({A: 2}), Counter({A: 2}), Counter({A: 1}))


def test_a_post_twice_or_a_post_missing_is_reported():
    assert robot_posts_differ(Counter({A: 4}), Counter({A: 2}), Counter({A: 1})) == Counter({A: 1})
    assert robot_posts_differ(Counter({A: 3}), Counter({A: 2}), Counter({B: 1})) == Counter({A: 1})
    assert robot_posts_differ(Counter({A: 1}), Counter({A: 2}), Counter({A: 1})) == Counter({A: 1})
