"""Curves of long records are drawn from a bounded number of points, the newest always among them."""

import numpy as np

from app.views.series import thinned


def test_a_long_record_is_drawn_from_at_most_about_two_thousand_points_ending_with_the_newest():
    for n in (1, 1999, 2000, 2001, 12345, 200_000):
        x = np.arange(n, dtype=float)
        tx, ty = thinned(x, x * 2)
        assert len(tx) <= 2000 and tx[-1] == n - 1 and np.all(ty == tx * 2)
        assert len(tx) == n if n <= 2000 else len(tx) >= 1000
        assert np.all(np.diff(tx) > 0)
