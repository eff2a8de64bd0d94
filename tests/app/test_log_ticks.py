"""Log axes write only as many numbers as there is room for: never more than fit, at least two where the range
holds two round values, decades before the digits between them."""

from math import log10

import pytest

from app.views.log_ticks import labelled_values


@pytest.mark.parametrize(
    ("low", "high"), [(0.0055, 0.0105), (1e-10, 1.0), (2.0, 9.0), (0.006, 0.0095), (1e-3, 3e-3), (0.5, 500.0)]
)
def test_log_axis_labels_fit_the_room_and_say_enough(low, high):
    for most in range(1, 12):
        values = [10**v for v in labelled_values(log10(low), log10(high), most)]
        assert len(values) <= max(most, 1), (most, values)
        assert all(low * 0.999 <= v <= high * 1.001 for v in values)
        if most >= 2 and (high / low) > 1.5:
            assert len(values) >= 2, (most, values)


def test_decades_come_first():
    values = [round(10**v, 12) for v in labelled_values(-6.0, 0.0, 3)]
    assert values == [1e-6, 1e-3, 1.0]
    assert [round(10**v, 12) for v in labelled_values(log10(0.0055), log10(0.0105), 10)] == [
        0.006,
        0.007,
        0.008,
        0.009,
        0.01,
    ]


def test_numbers_from_a_thousandth_to_thousands_are_written_plainly_the_rest_as_powers_of_ten(qapp):
    """A perplexity axis reads 20, 30, 40 (pyqtgraph wrote 2·10¹, 3·10¹, 4·10¹); gradients of 10⁻⁶ keep powers."""
    import pyqtgraph as pg

    from app.views import log_ticks

    log_ticks.install()
    axis = pg.AxisItem("left")
    numbers = (1e-6, 0.001, 0.05, 1, 2, 20, 40, 500, 9000, 1e4, 1e5)
    strings = axis.logTickStrings([log10(v) for v in numbers], 1.0, 1.0)
    assert strings == ["10⁻⁶", "0.001", "0.05", "1", "2", "20", "40", "500", "9000", "10⁴", "10⁵"]
