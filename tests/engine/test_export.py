"""Traces written to .npz and CSV read back as the arrays the engine computed; writes are atomic."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from engine import export, hopfield, io, rbm
from engine.hopfield.export import FORMAT as HOPFIELD
from engine.rbm.export import FORMAT as RBM
from engine.recurrent import RecurrentSpec, init_params
from engine.recurrent.export import FORMAT as RECURRENT
from engine.recurrent.export import GATE_LABELS
from engine.recurrent.head import init_head
from engine.recurrent.inspect import inspect

SPECS = [
    RecurrentSpec("lstm", input_size=3, hidden_size=4, num_layers=2, bidirectional=True),
    RecurrentSpec("gru", input_size=2, hidden_size=3),
    RecurrentSpec("rnn_tanh", input_size=2, hidden_size=5, num_layers=2),
]


def recurrent_inspection(spec: RecurrentSpec, T: int = 6, B: int = 2):
    params = init_params(spec, seed=1)
    params.update(init_head(spec.directions * spec.hidden_size, 3, seed=2))
    x = np.random.default_rng(0).normal(size=(T, B, spec.input_size)).astype(np.float32)
    targets = np.random.default_rng(1).integers(0, 3, (T, B))
    return inspect(spec, params, x, targets, lengths=np.array([T, T - 2][:B]))


def read_csv(path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def column(header: list[str], rows: list[list[str]], name: str, dtype=float) -> np.ndarray:
    j = header.index(name)
    return np.array([dtype(r[j]) for r in rows])


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.cell}-L{s.num_layers}-D{s.directions}")
def test_recurrent_npz_holds_every_gate_state_and_gradient(spec, tmp_path):
    ins = recurrent_inspection(spec)
    export.save_trace(tmp_path / "trace.npz", ins, RECURRENT)
    back = io.load_arrays(tmp_path / "trace.npz")
    tr, grads = ins.trace, ins.grads
    np.testing.assert_array_equal(back["output"], tr.output)
    np.testing.assert_array_equal(back["x"], tr.layers[0].inputs)
    np.testing.assert_array_equal(back["loss.step_loss"], ins.loss.step_loss)
    for k, lt in enumerate(tr.layers):
        key = f"l{lt.layer}.d{lt.direction}"
        for g in lt.gate_names:
            name = GATE_LABELS.get(g, g)
            np.testing.assert_array_equal(back[f"{key}.gate.{name}"], lt.gate(g))
            np.testing.assert_array_equal(back[f"{key}.pre.{name}"], lt.gate(g, pre=True))
        np.testing.assert_array_equal(back[f"{key}.hidden"], lt.hidden)
        np.testing.assert_array_equal(back[f"{key}.dh"], grads.dh[k])
        np.testing.assert_array_equal(back[f"{key}.dh_norm"], grads.dh_norm[k])
        if spec.cell == "lstm":
            np.testing.assert_array_equal(back[f"{key}.cell"], lt.cell)
            np.testing.assert_array_equal(back[f"{key}.dc"], grads.dc[k])
    for name, g in grads.params.items():
        np.testing.assert_array_equal(back[f"grad.{name}"], g)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.cell}-L{s.num_layers}-D{s.directions}")
def test_recurrent_csv_has_one_row_per_unit_and_step_with_exact_values(spec, tmp_path):
    ins = recurrent_inspection(spec)
    export.save_trace(tmp_path / "trace.csv", ins, RECURRENT)
    header, rows = read_csv(tmp_path / "trace.csv")
    names = [GATE_LABELS.get(g, g) for g in spec.gates]
    states = ["hidden", "cell"] if spec.cell == "lstm" else ["hidden", "extra"] if spec.cell == "gru" else ["hidden"]
    grads = ["dh", "dc"] if spec.cell == "lstm" else ["dh"]
    assert header == ["layer", "direction", "step", "sequence", "unit", "valid", *names,
                      *(f"{n}_pre" for n in names), *states, *grads]  # fmt: skip
    T, B, H = ins.trace.layers[0].hidden.shape
    assert len(rows) == spec.num_layers * spec.directions * T * B * H
    layer, direction = column(header, rows, "layer", int), column(header, rows, "direction", int)
    for k, lt in enumerate(ins.trace.layers):
        here = (layer == lt.layer) & (direction == lt.direction)
        hidden = column(header, rows, "hidden")[here].reshape(T, B, H)
        np.testing.assert_array_equal(hidden.astype(lt.hidden.dtype), lt.hidden)
        dh = column(header, rows, "dh")[here].reshape(T, B, H)
        np.testing.assert_array_equal(dh.astype(ins.grads.dh.dtype), ins.grads.dh[k])
    valid = column(header, rows, "valid", int)[(layer == 0) & (direction == 0)].reshape(T, B, H)
    np.testing.assert_array_equal(valid[..., 0], ins.trace.mask)


def hopfield_recall(mode: str):
    rng = np.random.default_rng(3)
    patterns = np.where(rng.random((3, 36)) < 0.5, -1, 1).astype(np.int8)
    probe = patterns[0].copy()
    probe[:10] *= -1
    return hopfield.recall(hopfield.store(patterns), probe, mode=mode, seed=1)


@pytest.mark.parametrize("mode", ["async", "sync"])
def test_hopfield_exports_energies_flips_and_states(mode, tmp_path):
    trace = hopfield_recall(mode)
    export.save_trace(tmp_path / "recall.npz", trace, HOPFIELD)
    back = io.load_arrays(tmp_path / "recall.npz")
    for name in ("initial", "energies", "flip_steps", "flip_units", "sweep_ends"):
        np.testing.assert_array_equal(back[name], getattr(trace, name))
    np.testing.assert_array_equal(back["states"], trace.states)
    assert bool(back["sync"]) == (mode == "sync") and bool(back["converged"]) == trace.converged
    export.save_trace(tmp_path / "recall.csv", trace, HOPFIELD)
    header, rows = read_csv(tmp_path / "recall.csv")
    assert header == ["step", "energy", "sweep", "visited", "n_flipped", "flipped_units"]
    assert len(rows) == trace.n_steps + 1
    np.testing.assert_array_equal(column(header, rows, "energy"), trace.energies)
    n_flipped = column(header, rows, "n_flipped", int)
    assert n_flipped.sum() == len(trace.flip_units) and n_flipped[0] == 0
    for k in range(1, trace.n_steps + 1):
        listed = [int(u) for u in rows[k][header.index("flipped_units")].split()]
        assert listed == trace.flips_at(k - 1).tolist()
    sweep = column(header, rows, "sweep", int)
    assert sweep[0] == 0 and np.all(np.diff(sweep) >= 0) and sweep[-1] == trace.n_sweeps


@pytest.mark.parametrize("batched", [False, True])
def test_rbm_gibbs_chain_exports_samples_and_probabilities(batched, tmp_path):
    model = rbm.init(6, 4, seed=0, weight_scale=1.0)
    v0 = np.array([[1, 0, 1, 0, 1, 1], [0, 0, 1, 1, 0, 1]])
    trace = rbm.gibbs(model, v0 if batched else v0[0], steps=5, seed=2)
    export.save_trace(tmp_path / "chain.npz", trace, RBM)
    back = io.load_arrays(tmp_path / "chain.npz")
    for name in ("visible", "hidden", "visible_prob", "hidden_prob"):
        np.testing.assert_array_equal(back[name], getattr(trace, name))
    export.save_trace(tmp_path / "chain.csv", trace, RBM)
    header, rows = read_csv(tmp_path / "chain.csv")
    assert header == ["step", "chain", "layer", "unit", "sample", "probability"]
    chains = 2 if batched else 1
    assert len(rows) == 6 * chains * (6 + 4)
    step, layer = column(header, rows, "step", int), column(header, rows, "layer", int)
    hidden_prob = column(header, rows, "probability")[layer == 1].reshape(6, chains, 4)
    np.testing.assert_array_equal(hidden_prob, trace.hidden_prob.reshape(6, chains, 4))
    assert np.all(np.diff(step) >= 0)


@pytest.mark.parametrize("name", ["trace.txt", "trace", "trace.png"])
def test_unknown_suffix_is_refused_and_writes_nothing(name, tmp_path):
    with pytest.raises(ValueError, match="use .npz, .csv"):
        export.save_trace(tmp_path / name, hopfield_recall("sync"), HOPFIELD)
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_refused_with_its_name(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        export.save_trace(tmp_path / "nowhere" / "t.csv", hopfield_recall("sync"), HOPFIELD)


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("old\n")
    with pytest.raises(ValueError):  # columns of unequal length fail halfway through the rows
        export.write_csv(target, ["a", "b"], [np.arange(5), np.arange(3)])
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]
