"""The RBM training record grows in amortised constant time and never rewrites an entry, so a view of it
costs nothing and stays what it showed."""

import numpy as np
import pytest

from engine.rbm.history import History


def test_history_views_keep_what_they_showed_while_the_record_grows():
    history = History()
    for i in range(3):
        history.append(reconstruction_error=i, log_likelihood=np.nan, free_energy=-i, validation_free_energy=1.0)
    shown = history.view()
    for i in range(3, 500):  # several growths of the buffer
        history.append(reconstruction_error=i, log_likelihood=i, free_energy=-i, validation_free_energy=1.0)
    np.testing.assert_array_equal(shown.reconstruction_error, [0, 1, 2])
    np.testing.assert_array_equal(history.free_energy, -np.arange(500))
    assert shown.epochs == 3 and history.epochs == 500
    with pytest.raises(ValueError, match="read-only"):
        history.free_energy[0] = 5.0
    with pytest.raises(ValueError, match="cannot grow"):
        shown.append(reconstruction_error=0, log_likelihood=0, free_energy=0, validation_free_energy=0)
    with pytest.raises(ValueError, match="exactly"):
        history.append(reconstruction_error=0.0)


def test_history_grows_by_doubling_not_by_copying_every_epoch():
    history, memories = History(), []  # the distinct memory blocks the series have lived in
    for i in range(100_000):
        history.append(reconstruction_error=i, log_likelihood=0, free_energy=0, validation_free_energy=0)
        series = history.reconstruction_error
        if not (memories and np.shares_memory(series, memories[-1])):
            memories.append(series)
    assert len(memories) <= 12  # 64 -> 131072 entries: 11 growths; np.append copied into a new array every epoch
    assert history.reconstruction_error[-1] == 99_999


def test_history_series_must_be_one_dimensional_and_of_one_length():
    with pytest.raises(ValueError, match="one length"):
        History(reconstruction_error=[1.0], log_likelihood=[], free_energy=[1.0], validation_free_energy=[1.0])
    restored = History(*(np.arange(3.0) for _ in range(4)))
    assert restored.epochs == 3 and restored.view().free_energy.tolist() == [0.0, 1.0, 2.0]
