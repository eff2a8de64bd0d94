"""``both``: two halves at once, the second in the helper thread; errors of either reach the caller; a call the
helper cannot take (from inside a half, or from another thread meanwhile) runs its halves one after the other."""

import threading

import pytest

from engine.recurrent.halves import both


def test_the_second_half_runs_in_another_thread_at_the_same_time_and_both_results_come_back():
    met = threading.Barrier(2, timeout=5)  # each half waits for the other: only true concurrency gets past it

    def half(name):
        met.wait()
        return name, threading.get_ident()

    (a, here), (b, there) = both(lambda: half("first"), lambda: half("second"))
    assert (a, b) == ("first", "second")
    assert here == threading.get_ident() and there != here


@pytest.mark.parametrize("failing", ["first", "second"])
def test_an_error_in_either_half_reaches_the_caller_after_both_have_ended(failing):
    ended = []

    def half(name):
        ended.append(name)
        if name == failing:
            raise ValueError(f"{name} failed")
        return name

    with pytest.raises(ValueError, match=f"{failing} failed"):
        both(lambda: half("first"), lambda: half("second"))
    assert sorted(ended) == ["first", "second"]
    assert both(lambda: 1, lambda: 2) == (1, 2)  # the helper is free again


def test_a_call_from_inside_a_half_runs_one_half_after_the_other_instead_of_waiting_for_itself():
    inner = []
    result = both(lambda: both(lambda: inner.append("a") or "a", lambda: inner.append("b") or "b"), lambda: "outer")
    assert result == (("a", "b"), "outer") and inner == ["a", "b"]
