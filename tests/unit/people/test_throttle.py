"""The sign-in throttle: failures per key in a sliding window, with a clock the test moves."""
from __future__ import annotations

import pytest

from coach.people.throttle import Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


def test_five_failures_throttle_a_key_until_the_first_leaves_the_window(clock):
    throttle = Throttle(limit=5, window=300, clock=clock)
    for step in range(4):
        throttle.fail([("address", "1.2.3.4")])
        clock.now += 10
        assert throttle.retry_after(("address", "1.2.3.4")) == 0, step
    throttle.fail([("address", "1.2.3.4")])  # the fifth, at 1040
    assert throttle.retry_after(("address", "1.2.3.4")) == 260  # the first (1000) leaves at 1300
    assert throttle.retry_after(("address", "5.6.7.8")) == 0  # another address is not affected
    clock.now = 1299.5
    assert throttle.retry_after(("address", "1.2.3.4")) == 1
    clock.now = 1300.0
    assert throttle.retry_after(("address", "1.2.3.4")) == 0  # four left in the window
    throttle.fail([("address", "1.2.3.4")])
    assert throttle.retry_after(("address", "1.2.3.4")) == 10  # the one at 1010 leaves at 1310


def test_one_failure_counts_against_every_key_and_the_longest_wait_wins(clock):
    throttle = Throttle(limit=2, window=60, clock=clock)
    throttle.fail([("address", "a"), ("person", "rep-abc234")])
    clock.now += 30
    throttle.fail([("address", "b"), ("person", "rep-abc234")])
    assert throttle.retry_after(("address", "b")) == 0
    assert throttle.retry_after(("address", "b"), ("person", "rep-abc234")) == 30


def test_forgetting_a_key_clears_it_only(clock):
    throttle = Throttle(limit=1, window=60, clock=clock)
    throttle.fail([("address", "a"), ("person", "p")])
    throttle.forget(("person", "p"))
    assert throttle.retry_after(("person", "p")) == 0 and throttle.retry_after(("address", "a")) == 60


def test_memory_is_bounded_by_dropping_the_oldest_keys(clock):
    throttle = Throttle(limit=1, window=60, clock=clock, max_keys=3)
    for n in range(5):
        throttle.fail([("address", str(n))])
    assert [throttle.retry_after(("address", str(n))) for n in range(5)] == [0, 0, 60, 60, 60]


@pytest.mark.parametrize("limit, window", [(0, 60), (5, 0)])
def test_a_throttle_that_could_never_let_anyone_in_is_refused(limit, window):
    with pytest.raises(ValueError, match="limit"):
        Throttle(limit=limit, window=window)
