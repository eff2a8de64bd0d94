"""Session files of the Hopfield and RBM labs: reopening one puts the user back where they were (the same
memory, start state, recall, chain, model and view), work goes on with the same numbers as if the file had
never been written, and a damaged file is refused with a reason and leaves the open lab exactly as it was."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.sessions.rbm import RBMSettings
from app.theme import setup_application
from engine import checks, rbm
from engine.session_file import SessionFile, load_session, save_session

VERSION_1 = Path(__file__).parent / "sessions_v1"  # written by Unroll before issue 11 (commit c3fe6ba)
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def make_panel(qtbot, kind: str):
    setup_application()
    if kind == "hopfield":
        from app.panels.hopfield import Panel
    else:
        from app.panels.rbm import Panel
    panel = Panel()
    qtbot.addWidget(panel)
    panel.resize(1200, 800)
    panel.show()
    return panel


@pytest.fixture
def panels(qtbot):
    made = []

    def make(kind: str):
        made.append(make_panel(qtbot, kind))
        return made[-1]

    yield make
    for panel in made:
        panel.shutdown()


def round_trip(panel, path) -> SessionFile:
    save_session(path, panel.save_session())
    return load_session(path, panel.lab)


def assert_same_session(a: SessionFile, b: SessionFile) -> None:
    """Two saves of a lab hold the same state: JSON values equal, arrays equal (NaN equal to NaN)."""
    assert a.lab == b.lab and a.state == b.state
    assert sorted(a.arrays) == sorted(b.arrays)
    for name, array in a.arrays.items():
        assert b.arrays[name].dtype == array.dtype, name
        np.testing.assert_array_equal(b.arrays[name], array, err_msg=name)


def hostile(file: SessionFile, edit_state=None, edit_arrays=None) -> SessionFile:
    file = SessionFile(file.lab, copy.deepcopy(file.state), {k: v.copy() for k, v in file.arrays.items()})
    if edit_state:
        edit_state(file.state)
    if edit_arrays:
        edit_arrays(file.arrays)
    return file


def put(path: list, value):
    def edit(state: dict) -> None:
        for key in path[:-1]:
            state = state[key]
        state[path[-1]] = value

    return edit


def assert_refused_and_unchanged(panel, file: SessionFile, match: str | None = None) -> None:
    before, picture = panel.save_session(), shown_picture(panel)
    with pytest.raises(ValueError, match=match):
        panel.restore_session(file)
    assert_same_session(panel.save_session(), before)
    np.testing.assert_array_equal(shown_picture(panel), picture)


def shown_picture(panel) -> np.ndarray:
    """The main picture the lab shows: the neuron grid, or the chain's visible layer."""
    item = panel.grid.image if panel.lab == "hopfield" else panel.chain_view.visible.image
    return np.array(item.image, copy=True)


# ---- Hopfield ---------------------------------------------------------------------------------------------


def hopfield_lesson(panel, qtbot):
    """A lab far from its demo: more patterns, a drawn start state, sync recall, by-sweep pacing, a capacity
    result, the weights tab on show and the playhead part-way."""
    s, c = panel.session, panel.panel_controls
    panel.store_text("XY", system_font=False)
    drawn = s.patterns[1].copy()
    drawn[:40] *= -1
    panel.grid.drawn.emit(drawn)
    c.mode.setCurrentIndex(c.mode.findData("sync"))
    c.order.setCurrentIndex(c.order.findData("fixed"))
    c.text.setText("记忆 memory")
    c.noise.setValue(12)
    c.fill.setCurrentIndex(c.fill.findData("random"))
    c.mask_tool.setChecked(True)
    c.pattern.setCurrentIndex(4)
    panel.recall()
    with qtbot.waitSignal(s.capacity_finished, timeout=30000):
        s.run_capacity(25, 1, "storkey", 0.0)
    panel.capacity.trials.setValue(3)
    c.by_sweep.setCurrentIndex(1)
    panel.show_view("weights")
    panel.playhead.set_speed(7.0)
    panel.playhead.seek(panel.playhead.length - 2)


def test_hopfield_session_reopens_where_it_was(panels, qtbot, tmp_path):
    panel = panels("hopfield")
    hopfield_lesson(panel, qtbot)
    file = round_trip(panel, tmp_path / "hopfield.unroll")
    fresh = panels("hopfield")
    fresh.session.resize(7)  # far from the file: another size, no memory
    fresh.restore_session(file)
    s, r = panel.session, fresh.session
    assert (r.size, r.rule, r.labels, r.noise_seed) == (s.size, s.rule, s.labels, s.noise_seed)
    for name in ("patterns", "probe", "W"):
        np.testing.assert_array_equal(getattr(r, name), getattr(s, name), err_msg=name)
    assert r.recall_settings == s.recall_settings and r.trace.mode == "sync"
    np.testing.assert_array_equal(r.trace.energies, s.trace.energies)
    np.testing.assert_array_equal(r.trace.final, s.trace.final)
    assert fresh.by_sweep and fresh.grid.tool == "mask"
    assert fresh.view_names()[fresh.views.currentIndex()] == "weights"
    assert fresh.playhead.position == panel.playhead.position > 0 and fresh.playhead.speed == 7.0
    np.testing.assert_array_equal(shown_picture(fresh), shown_picture(panel))
    np.testing.assert_array_equal(fresh.energy.curve.getData()[1], panel.energy.curve.getData()[1])
    np.testing.assert_array_equal(fresh.weights.image.image, panel.weights.image.image)
    for a, b in zip(fresh.capacity.curves, panel.capacity.curves, strict=True):
        np.testing.assert_array_equal(a, b)
    c, fc = panel.panel_controls, fresh.panel_controls
    assert fc.choices() == c.choices() and fc.text.text() == "记忆 memory" and fc.rule.currentData() == s.rule
    assert fresh.capacity.choices() == panel.capacity.choices()
    assert_same_session(fresh.save_session(), panel.save_session())


def test_hopfield_work_goes_on_as_if_never_saved(panels, qtbot, tmp_path):
    panel = panels("hopfield")
    hopfield_lesson(panel, qtbot)
    fresh = panels("hopfield")
    fresh.restore_session(round_trip(panel, tmp_path / "h.unroll"))
    for lab in (panel, fresh):
        lab.panel_controls.flip_requested.emit(0.2)  # the next random flips come from the saved noise seed
        lab.session.recall(mode="async", order="random", seed=4)
    np.testing.assert_array_equal(fresh.session.probe, panel.session.probe)
    np.testing.assert_array_equal(fresh.session.trace.energies, panel.session.trace.energies)


def test_a_hopfield_session_without_memory_or_recall_round_trips(panels, tmp_path):
    panel = panels("hopfield")
    panel.session.resize(9)
    fresh = panels("hopfield")
    fresh.restore_session(round_trip(panel, tmp_path / "empty.unroll"))
    assert fresh.session.W is None and fresh.session.trace is None and fresh.session.size == 9
    assert fresh.capacity.curves[0] is None or len(fresh.capacity.curves[0]) == 0


HOPFIELD_BAD_STATES = {
    "grid too big": (put(["settings", "size"], 65), "size must be from 5 to 64"),
    "grid size as text": (put(["settings", "size"], "16"), "size must be int"),
    "grid size true": (put(["settings", "size"], True), "size must be int"),
    "unknown rule": (put(["settings", "rule"], "magic"), "rule"),
    "labels not text": (put(["memory", "labels", 0], 7), "names"),
    "too few labels": (lambda s: s["memory"]["labels"].pop(), "patterns must be"),
    "negative noise seed": (put(["start", "noise_seed"], -1), "noise seed"),
    "unknown key in a section": (put(["memory", "colour"], "red"), "colour"),
    "unknown key": (put(["colour"], "red"), "colour"),
    "recall of unknown mode": (put(["recall", "mode"], "dream"), "recall mode"),
    "recall too long": (put(["recall", "max_sweeps"], 10**9), "sweep limit"),
    "recall not a mapping": (put(["recall"], [1, 2]), "mapping"),
    "capacity noise NaN": (put(["capacity", "noise"], float("nan")), "noise"),
    "capacity of a strange rule": (put(["capacity", "rule"], "x"), "rule"),
    "panel tool unknown": (put(["panel", "tool"], "brush"), "tool"),
    "panel by_sweep not a bool": (put(["panel", "by_sweep"], 1), "pacing"),
    "panel noise out of range": (put(["panel", "noise_percent"], 99), "flip"),
    "panel pattern out of range": (put(["panel", "pattern"], 40), "start pattern"),
    "panel missing": (lambda s: s.pop("panel"), "panel"),
}
HOPFIELD_BAD_ARRAYS = {
    "patterns missing": (lambda a: a.pop("patterns"), "patterns"),
    "patterns of another width": (lambda a: a.update(patterns=a["patterns"][:, :-1]), "patterns must be"),
    "patterns not binary": (lambda a: a.update(patterns=a["patterns"] * 3), "binary"),
    "patterns NaN": (lambda a: a.update(patterns=np.full(a["patterns"].shape, np.nan)), "NaN"),
    "patterns as text": (lambda a: a.update(patterns=np.array([["a"]])), "patterns"),
    "a pattern twice": (lambda a: a["patterns"].__setitem__(1, a["patterns"][0]), "already stored"),
    "probe of another size": (lambda a: a.update(probe=np.ones(5, np.int8)), "start state"),
    "probe two-dimensional": (lambda a: a.update(probe=a["probe"][None]), "probe"),
    "recall energies missing": (lambda a: a.pop("recall/energies"), "recall/energies"),
    "capacity fraction above one": (lambda a: a["capacity/recall_fraction"].fill(2.0), "fractions"),
    "capacity P of another length": (lambda a: a.update({"capacity/P_values": np.arange(1, 3)}), "one recall"),
    "a stranger's array": (lambda a: a.update(W=np.eye(3)), "'W'"),
}


def test_a_recall_that_ends_otherwise_here_is_run_again_and_said(panels, qtbot, tmp_path):
    """Another machine's arithmetic may break a tie the other way: the file opens, this machine's run is shown,
    and the user is told."""
    source = panels("hopfield")
    hopfield_lesson(source, qtbot)
    file = hostile(round_trip(source, tmp_path / "h.unroll"))
    file.arrays["recall/final"][0] *= -1
    panel = panels("hopfield")
    messages = []
    panel.message.connect(lambda level, text: messages.append((level, text)))
    panel.restore_session(file)
    np.testing.assert_array_equal(panel.session.trace.final, source.session.trace.final)
    assert messages and messages[-1][0] == "info" and "ends differently" in messages[-1][1]
    panel.restore_session(round_trip(source, tmp_path / "again.unroll"))
    assert panel.session.recall_ends_as_saved


HOPFIELD_ABSURD_SIZES = {
    "a grid of a million units a side": (put(["settings", "size"], 10**6), "size"),
    "a recall of 10^12 sweeps": (put(["recall", "max_sweeps"], 10**12), "sweep limit"),
    "a capacity result for 10^9 units": (put(["capacity", "N"], 10**9), "N"),
    "more patterns than units": (lambda s: s["memory"].update(labels=[str(k) for k in range(400)]), "at most"),
    "a capacity run of 10^9 trials asked by the panel": (put(["panel", "capacity", "trials"], 10**9), "trials"),
}


@pytest.mark.parametrize("case", HOPFIELD_ABSURD_SIZES)
def test_a_hopfield_session_asking_for_absurd_sizes_is_refused_before_allocating(panels, qtbot, tmp_path, case):
    source = panels("hopfield")
    hopfield_lesson(source, qtbot)
    edit, match = HOPFIELD_ABSURD_SIZES[case]
    file = hostile(round_trip(source, tmp_path / "good.unroll"), edit)
    panel = panels("hopfield")
    assert_refused_and_unchanged(panel, file, match)


def test_a_hopfield_session_beyond_the_memory_cap_is_refused_before_allocating(panels, qtbot, tmp_path, monkeypatch):
    source = panels("hopfield")
    source.session.resize(64)
    source.store_drawing()
    file = round_trip(source, tmp_path / "big.unroll")
    panel = panels("hopfield")
    monkeypatch.setattr(checks, "MEMORY_CAP_BYTES", 2 * 4096**2 * 8 - 1)  # one byte short of W and its workspace
    assert_refused_and_unchanged(panel, file, "memory cap")


def test_a_version_1_hopfield_session_opens_where_it_was(panels):
    file = load_session(VERSION_1 / "hopfield.unroll", lab="hopfield")
    assert "version" not in file.state and file.state["size"] == 16
    panel = panels("hopfield")
    panel.restore_session(file)
    s = panel.session
    assert (s.size, s.rule, s.labels) == (16, "pseudoinverse", [*"UNROL", "X", "Y"])
    np.testing.assert_array_equal(s.patterns, file.arrays["patterns"])
    np.testing.assert_array_equal(s.probe, file.arrays["probe"])
    assert s.recall_ends_as_saved and s.trace.mode == "sync" and s.noise_seed == file.state["noise_seed"]
    np.testing.assert_array_equal(s.capacity_result.recall_fraction, file.arrays["capacity/recall_fraction"])
    assert panel.panel_controls.text.text() == "记忆 memory" and panel.by_sweep
    assert panel.view_names()[panel.views.currentIndex()] == "weights"
    assert panel.save_session().state["version"] == 2


@pytest.mark.parametrize("case", [*HOPFIELD_BAD_STATES, *HOPFIELD_BAD_ARRAYS])
def test_a_damaged_hopfield_session_is_refused_and_changes_nothing(panels, qtbot, tmp_path, case):
    source = panels("hopfield")
    hopfield_lesson(source, qtbot)
    file = round_trip(source, tmp_path / "good.unroll")
    edit_state, match = HOPFIELD_BAD_STATES.get(case, (None, None))
    edit_arrays, match = HOPFIELD_BAD_ARRAYS.get(case, (None, match))
    panel = panels("hopfield")
    panel.playhead.seek(30)
    assert_refused_and_unchanged(panel, hostile(file, edit_state, edit_arrays), match)


# ---- RBM --------------------------------------------------------------------------------------------------


def rbm_lesson(panel):
    """Trained a while, then a chain from pattern 3 with a hand-drawn clamp, part-way through it."""
    s, box = panel.session, panel.chain_box
    s.apply_settings(RBMSettings(n_hidden=9, seed=5, lr=0.1, persistent=True, held_out=0.25))
    panel.train_and_sample(25)
    panel.train_and_sample(10)  # two training runs: the next one's seed follows from the count
    box.clamp.setCurrentIndex(box.clamp.findData("left"))
    panel._toggle_unit(15)
    box.pattern.setValue(3)
    box.steps.setValue(12)
    box.noise.setChecked(False)
    panel._run_chain()
    panel.playhead.pause()
    panel.playhead.seek(7)
    panel.show_view("filters")


def rbm_pictures(panel) -> dict[str, np.ndarray]:
    v = panel.chain_view
    pictures = {name: getattr(v, name).image.image for name in ("visible", "hidden", "visible_prob", "hidden_prob")}
    pictures.update(filters=panel.filters_view.mosaic.image.image, samples=panel.gallery_view.samples.image.image,
                    data=panel.gallery_view.data.image.image, error=panel.curves_view.error.getData()[1])  # fmt: skip
    return {k: np.array(p, copy=True) for k, p in pictures.items()}


def test_rbm_session_reopens_where_it_was_and_trains_on_identically(panels, tmp_path):
    panel = panels("rbm")
    rbm_lesson(panel)
    fresh = panels("rbm")
    fresh.train_and_sample(3)  # a different model and history that the file must replace
    fresh.restore_session(round_trip(panel, tmp_path / "rbm.unroll"))
    s, r = panel.session, fresh.session
    assert r.settings == s.settings and r.source == s.source and r.image_shape == s.image_shape
    assert r.frame.epoch == s.frame.epoch == 35 and r.trainer.epoch == 35
    np.testing.assert_array_equal(r.trainer.velocity.W, s.trainer.velocity.W)
    np.testing.assert_array_equal(r.trainer.chains, s.trainer.chains)
    assert r.trainer.rng.bit_generator.state == s.trainer.rng.bit_generator.state
    assert (r.chain_pattern, r.chain_steps, r.chain_noise) == (3, 12, False)
    np.testing.assert_array_equal(r.clamp, s.clamp)
    assert fresh.chain_box.clamp.currentData() == "drawn" and fresh.chain_box.steps.value() == 12
    assert fresh.playhead.position == 7 and fresh.view_names()[fresh.views.currentIndex()] == "filters"
    assert fresh.describe_position(7) == panel.describe_position(7)
    for name, picture in rbm_pictures(panel).items():
        np.testing.assert_array_equal(rbm_pictures(fresh)[name], picture, err_msg=name)
    assert fresh.training_box.status.text() == panel.training_box.status.text()
    assert_same_session(fresh.save_session(), panel.save_session())
    for lab in (panel, fresh):
        lab.train_and_sample(15)
    for name in ("W", "b_visible", "b_hidden"):
        np.testing.assert_array_equal(getattr(r.model, name), getattr(s.model, name), err_msg=name)
    np.testing.assert_array_equal(r.frame.history.reconstruction_error, s.frame.history.reconstruction_error)
    np.testing.assert_array_equal(r.frame.gallery, s.frame.gallery)
    np.testing.assert_array_equal(r.trace.visible, s.trace.visible)


def test_paused_rbm_training_continues_exactly_as_uninterrupted_training(panels, qtbot, tmp_path):
    """e + 7 epochs at once == 3, a pause, e + 4 == e in the worker, saved, reopened elsewhere, 7: bit for bit,
    with momentum and persistent chains on (before issue 11 each pause restarted both, and a file kept neither)."""
    settings = RBMSettings(n_hidden=9, seed=5, lr=0.1, persistent=True, momentum=0.9, batch_size=4)
    straight, paused, saved = panels("rbm"), panels("rbm"), panels("rbm")
    for lab in (straight, paused, saved):
        lab.session.apply_settings(settings)
    saved.session.start_training()
    qtbot.waitUntil(lambda: saved.session.frame.epoch >= 3, timeout=20000)
    saved.session.stop_training()
    e = saved.session.frame.epoch
    reopened = panels("rbm")
    reopened.restore_session(round_trip(saved, tmp_path / "paused.unroll"))
    reopened.session.train_epochs(7)
    straight.session.train_epochs(e + 7)
    paused.session.train_epochs(3)
    paused.session.train_epochs(e + 4)
    for lab in (paused, reopened):
        s, r = straight.session, lab.session
        assert r.frame.epoch == e + 7
        for name in ("W", "b_visible", "b_hidden"):
            np.testing.assert_array_equal(getattr(r.model, name), getattr(s.model, name), err_msg=name)
        np.testing.assert_array_equal(r.frame.history.free_energy, s.frame.history.free_energy)
        np.testing.assert_array_equal(r.trainer.chains, s.trainer.chains)


def test_a_version_1_rbm_session_opens_and_trains_on_as_that_version_would(panels):
    """A file from before trainers kept their state: everything it holds comes back, and training goes on as
    that version's next run began (momentum from zero, chains from the data, seeded by its count of runs)."""
    file = load_session(VERSION_1 / "rbm.unroll", lab="rbm")
    assert "version" not in file.state and file.state["chunks"] == 2
    panel = panels("rbm")
    panel.restore_session(file)
    s = panel.session
    assert s.settings == RBMSettings(n_hidden=9, seed=5, lr=0.1, persistent=True, held_out=0.25, momentum=0.5)
    assert s.frame.epoch == 35 and (s.chain_pattern, s.chain_steps, s.chain_noise) == (3, 12, False)
    assert panel.chain_box.clamp.currentData() == "drawn" and panel.playhead.position == 7
    np.testing.assert_array_equal(s.model.W, file.arrays["model/W"])
    np.testing.assert_array_equal(s.frame.history.reconstruction_error, file.arrays["history/reconstruction_error"])
    np.testing.assert_array_equal(s.trace.visible, file.arrays["trace/visible"])
    model = rbm.RBM(*(file.arrays[f"model/{p}"].copy() for p in ("W", "b_visible", "b_hidden")))
    old = s.settings
    rbm.train(model, s.rows, 15, old.lr, old.k, old.persistent, old.batch_size, seed=old.seed * 1000 + 3,
              momentum=old.momentum, weight_decay=old.weight_decay, validation=s.held_out)  # fmt: skip
    panel.train_and_sample(15)
    np.testing.assert_array_equal(s.model.W, model.W)
    assert panel.save_session().state["version"] == 2


def test_rbm_session_on_the_users_images_keeps_them(panels, tmp_path):
    panel = panels("rbm")
    images = (np.random.default_rng(1).random((12, 5, 6)) < 0.4).astype(np.uint8)
    panel.session.load_images(images, "mine.npy")
    panel.train_and_sample(5)
    fresh = panels("rbm")
    fresh.restore_session(round_trip(panel, tmp_path / "mine.unroll"))
    assert fresh.session.settings.dataset == "file" and fresh.session.source == "mine.npy"
    assert fresh.session.image_shape == (5, 6)
    np.testing.assert_array_equal(fresh.session.rows, panel.session.rows)
    for lab in (panel, fresh):
        lab.train_and_sample(4)
    np.testing.assert_array_equal(fresh.session.model.W, panel.session.model.W)


def test_saving_while_training_in_the_worker_saves_what_is_shown(panels, qtbot, tmp_path):
    panel = panels("rbm")
    panel.session.start_training()
    qtbot.waitUntil(lambda: panel.session.frame.epoch > 5, timeout=20000)
    file = panel.save_session()
    panel.session.stop_training()
    fresh = panels("rbm")
    fresh.restore_session(file)
    epochs = len(file.arrays["history/reconstruction_error"])
    assert fresh.session.frame.epoch == epochs and not fresh.session.training
    np.testing.assert_array_equal(fresh.session.model.W, file.arrays["model/W"])


def _bigger(a: dict, name: str) -> None:
    a[name] = np.concatenate([a[name], a[name][:1]])


RBM_BAD_STATES = {
    "unknown setting": (put(["settings", "colour"], "red"), "colour"),
    "hidden units beyond the range": (put(["settings", "n_hidden"], 100000), "n_hidden"),
    "bars of a huge image": (put(["settings", "rows"], 40), "rows"),
    "learning rate NaN": (put(["settings", "lr"], float("nan")), "lr"),
    "learning rate as text": (put(["settings", "lr"], "0.1"), "lr"),
    "unknown data set": (put(["settings", "dataset"], "web"), "dataset"),
    "own images that are not there": (put(["settings", "dataset"], "file"), "images"),
    "another seed than the data's": (put(["settings", "seed"], 6), "data"),
    "trainer settings not the session's": (put(["trainer", "config", "lr"], 0.3), "trainer's settings"),
    "trainer generator of another kind": (put(["trainer", "rng"], {"bit_generator": "MT19937"}), "PCG64"),
    "trainer section not a mapping": (put(["trainer"], [1]), "trainer"),
    "chain pattern beyond the data": (put(["chain", "pattern"], 999), "start pattern"),
    "chain steps as a float": (put(["chain", "steps"], 12.0), "steps"),
    "chain noise not a bool": (put(["chain", "noise"], "no"), "noise"),
    "source changed": (put(["data", "source"], "elsewhere"), "source"),
    "unknown key": (put(["extra"], 1), "extra"),
    "unknown key in the data section": (put(["data", "colour"], 1), "colour"),
    "clamp choice unknown": (put(["panel", "clamp_choice"], "middle"), "clamp"),
}
RBM_BAD_ARRAYS = {
    "weights missing": (lambda a: a.pop("model/W"), "model/W"),
    "weights NaN": (lambda a: a["model/W"].fill(np.nan), "finite"),
    "weights of another shape": (lambda a: a.update({"model/W": np.zeros((3, 3))}), "shape"),
    "weights as integers": (lambda a: a.update({"model/W": a["model/W"].astype(np.int64)}), "model/W"),
    "bias Inf": (lambda a: a["model/b_hidden"].fill(np.inf), "finite"),
    "history of mixed lengths": (lambda a: _bigger(a, "history/free_energy"), "length"),
    "history Inf": (lambda a: a["history/log_likelihood"].fill(-np.inf), "infinite"),
    "data rows changed": (lambda a: a["data/rows"].__setitem__((0, 0), 1 - a["data/rows"][0, 0]), "data"),
    "held-out rows missing": (lambda a: a.pop("data/held_out"), "held_out"),
    "gallery not binary": (lambda a: a["gallery/chains"].fill(0.5), "0 and 1"),
    "gallery probabilities above one": (lambda a: a["gallery/prob"].fill(1.5), "probabilities"),
    "clamp not boolean": (lambda a: a.update(clamp=a["clamp"].astype(np.int8)), "clamp"),
    "clamp of another length": (lambda a: a.update(clamp=np.ones(3, bool)), "clamp"),
    "trace of another length": (lambda a: _bigger(a, "trace/visible"), "trace/visible"),
    "trace probabilities NaN": (lambda a: a["trace/hidden_prob"].fill(np.nan), "probabilities"),
    "a stranger's array": (lambda a: a.update({"model/velocity": np.zeros(3)}), "velocity"),
    "momentum NaN": (lambda a: a["velocity/W"].fill(np.nan), "finite"),
    "persistent chains not binary": (lambda a: a["persistent_chains"].fill(0.5), "0 and 1"),
    "persistent chains missing": (lambda a: a.pop("persistent_chains"), "persistent_chains"),
}
RBM_ABSURD_SIZES = {
    "a billion hidden units": (put(["settings", "n_hidden"], 10**9), "n_hidden"),
    "images of 10^10 pixels": (put(["data", "user_images"], {"shape": [10**5, 10**5], "source": "x"}), "pixels"),
    "a chain of a billion steps": (put(["chain", "steps"], 10**9), "steps"),
    "a trainer batch of 10^12 chains": (put(["trainer", "config", "batch_size"], 10**12), "memory cap"),
}


@pytest.mark.parametrize("case", [*RBM_BAD_STATES, *RBM_BAD_ARRAYS])
def test_a_damaged_rbm_session_is_refused_and_changes_nothing(panels, tmp_path, case):
    source = panels("rbm")
    rbm_lesson(source)
    file = round_trip(source, tmp_path / "good.unroll")
    edit_state, match = RBM_BAD_STATES.get(case, (None, None))
    edit_arrays, match = RBM_BAD_ARRAYS.get(case, (None, match))
    panel = panels("rbm")
    panel.train_and_sample(2)
    panel.playhead.seek(5)
    assert_refused_and_unchanged(panel, hostile(file, edit_state, edit_arrays), match)


@pytest.mark.parametrize("case", RBM_ABSURD_SIZES)
def test_an_rbm_session_asking_for_absurd_sizes_is_refused_before_allocating(panels, tmp_path, case):
    source = panels("rbm")
    rbm_lesson(source)
    edit, match = RBM_ABSURD_SIZES[case]
    file = hostile(round_trip(source, tmp_path / "good.unroll"), edit)
    panel = panels("rbm")
    panel.train_and_sample(2)
    assert_refused_and_unchanged(panel, file, match)


def test_an_rbm_session_beyond_the_memory_cap_is_refused_before_allocating(panels, tmp_path, monkeypatch):
    source = panels("rbm")
    source.session.apply_settings(RBMSettings(dataset="glyphs", glyph_size=16, n_hidden=400))
    file = round_trip(source, tmp_path / "big.unroll")
    panel = panels("rbm")
    monkeypatch.setattr(checks, "MEMORY_CAP_BYTES", 256 * 400 * 8 - 1)  # one byte short of the weights
    assert_refused_and_unchanged(panel, file, "memory cap")


# ---- any damage: refused with a ValueError and nothing changed, or taken whole -------------------------------

JSON_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(),
                        st.text(max_size=5), st.lists(st.integers(-3, 3), max_size=3),
                        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))  # fmt: skip
ARRAY_DAMAGE = ("drop", "float NaN", "int8", "bool", "flat", "empty", "extra axis", "text")


def _leaves(state: dict, prefix=()) -> list[tuple]:
    out = []
    for key, v in state.items():
        if key == "layout":
            continue
        out += _leaves(v, (*prefix, key)) if isinstance(v, dict) and v else [(*prefix, key)]
    return out


def _damage_array(arrays: dict, name: str, how: str) -> None:
    a = arrays[name]
    arrays[name] = {"drop": None, "float NaN": np.full(a.shape, np.nan), "int8": a.astype(np.int8),
                    "bool": a.astype(bool), "flat": a.reshape(-1), "empty": a[:0], "extra axis": a[None],
                    "text": np.full(a.shape, "x")}[how]  # fmt: skip
    if arrays[name] is None:
        del arrays[name]


@pytest.mark.parametrize("kind", ["hopfield", "rbm"])
def test_any_single_damage_is_refused_cleanly_or_taken_whole(panels, qtbot, tmp_path, kind):
    source = panels(kind)
    if kind == "hopfield":
        hopfield_lesson(source, qtbot)
    else:
        rbm_lesson(source)
    good = round_trip(source, tmp_path / "good.unroll")
    panel = panels(kind)

    @FUZZ
    @given(data=st.data())
    def check(data):
        file = hostile(good)
        if data.draw(st.booleans(), "json or array"):
            path = data.draw(st.sampled_from(_leaves(good.state)), "leaf")
            put(list(path), data.draw(JSON_VALUES, "value"))(file.state)
        else:
            name = data.draw(st.sampled_from(sorted(good.arrays)), "array")
            _damage_array(file.arrays, name, data.draw(st.sampled_from(ARRAY_DAMAGE), "damage"))
        before = panel.save_session()
        try:
            panel.restore_session(file)
        except ValueError as exc:
            assert str(exc)
            assert_same_session(panel.save_session(), before)
            return
        panel.restore_session(good)  # taken whole: and the good file still opens after it

    check()
