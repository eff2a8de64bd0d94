"""The shared beam-tree view (app/views/beam_tree.py) on engine.decoding's trees of a toy model."""

import numpy as np
import pytest

from app.views.beam_tree import BeamTreeView, layout, marked_nodes
from engine import decoding

V, D = 5, 3


def toy(seed=0):
    """s' = tanh(A s + B[token]), logits = C s': a stateful model for decoding, as in tests/engine/test_decoding."""
    rng = np.random.default_rng(seed)
    A, B, C = rng.normal(size=(D, D)), rng.normal(size=(V, D)) * 2, rng.normal(size=(V, D)) * 2

    def step(state, parents, tokens):
        s = np.tanh(state[parents] @ A.T + B[tokens])
        return s @ C.T, s

    s0 = rng.normal(size=(1, D))
    return s0[0] @ C.T, s0, step


def beam(width=3, steps=6, seed=0):
    return decoding.beam_search(*toy(seed), steps, width=width)


@pytest.mark.parametrize("seed", range(4))
def test_the_layout_has_a_node_per_candidate_and_no_crossing_families(seed):
    tree = beam(seed=seed).tree
    lay = layout(tree)
    assert len(lay.x) == sum(len(s.token) for s in tree)
    for t in range(1, len(tree)):
        here = np.flatnonzero(lay.step == t)
        parents_y = lay.y[lay.parent[here]]
        order = np.argsort(lay.y[here])
        # going down a column, the parents never go back up: edges of different families do not cross
        assert np.all(np.diff(parents_y[order]) >= 0)
        assert np.all(lay.kept[lay.parent[here]]), "only kept hypotheses have children"


def test_upto_step_draws_the_tree_as_it_was_at_that_step():
    tree = beam().tree
    assert set(layout(tree, upto_step=2).step.tolist()) == {0, 1, 2}
    assert len(layout(tree, upto_step=-1).x) == 0


def test_the_best_beam_is_a_marked_path_of_kept_nodes_and_a_path_leaving_the_tree_ends_there():
    result = beam()
    lay = layout(result.tree)
    best = marked_nodes(lay, result.sequences[0])
    assert len(best) == len(result.sequences[0]) and lay.kept[best].all()
    assert np.isclose(lay.score[best[-1]], result.scores[0])
    impossible = list(result.sequences[0][:2]) + [V + 1]
    assert len(marked_nodes(lay, impossible)) == 2


def test_the_view_draws_kept_pruned_and_marked_edges_and_labels_scores(qtbot):
    view = BeamTreeView()
    qtbot.addWidget(view)
    result = beam()
    greedy = decoding.greedy(*toy(), 6)
    view.show_tree(result.tree, labels=lambda token: "abcde"[token], marked_path=greedy, upto_step=3)
    lay = view.tree_layout
    kept_x, _ = view.edges["kept"].getData()
    pruned_x, _ = view.edges["pruned"].getData()
    assert len(kept_x) == 2 * lay.kept.sum() and len(pruned_x) == 2 * (~lay.kept).sum()
    assert len(view.marked) >= 1 and view.marked.max() < len(lay.x)
    texts = view.label_texts()
    first = result.tree[0]
    assert "abcde"[first.token[0]] in texts
    assert f"{first.score[0]:.2f}".replace("-", "−") in texts
    view.show_tree(result.tree[:1], labels=str)  # shrinking hides labels of before
    assert len(view.label_texts()) < len(texts)


def test_a_view_gone_leaves_the_theme_alone(qtbot):
    from app.theme import themes

    view = BeamTreeView()
    view.deleteLater()
    qtbot.wait(10)
    themes().set_presentation(True)  # would raise in the view's restyle if it still listened
    themes().set_presentation(False)


def test_a_step_that_prunes_many_labels_only_its_kept_candidates(qtbot):
    """A beam of 2 over 40 tokens prunes 78 candidates a step: their letters would pile up, so only the kept
    ones (and their scores) carry text; with 5 tokens, as in the toy, the pruned ones keep theirs."""
    from app.views.beam_tree import PRUNED_LABELLED

    n = 80
    assert n - 2 > PRUNED_LABELLED
    kept = np.zeros(n, bool)
    kept[:2] = True
    wide = decoding.BeamStep(np.full(n, -1), np.arange(n) % 40, -np.arange(n, dtype=float), kept, np.zeros(n, bool))
    view = BeamTreeView()
    qtbot.addWidget(view)
    view.show_tree([wide], labels=str)
    texts = view.label_texts()  # the kept ones' characters and scores, as far as they fit the height
    assert "0" in texts and set(texts) <= {"0", "1", "−0.00", "−1.00"}
    view.show_tree(beam(width=3, steps=2).tree, labels=lambda token: "abcde"[token])
    lay = view.tree_layout
    assert len(view.label_texts()) > 2 * lay.kept.sum()  # pruned candidates labelled too


def test_labels_on_show_never_run_into_each_other(qtbot):
    """A beam of 8 over 41 characters in a window as small as presentation mode's at 1280 × 720: scores and
    characters that would overlap are left out, the marked path's kept."""
    rng = np.random.default_rng(1)
    n, d = 41, 4
    A, B, C = rng.normal(size=(d, d)), rng.normal(size=(n, d)), rng.normal(size=(n, d)) * 2

    def step(state, parents, tokens):
        s = np.tanh(state[parents] @ A.T + B[tokens])
        return s @ C.T, s

    s0 = rng.normal(size=(1, d))
    result = decoding.beam_search(s0[0] @ C.T, s0, step, 10, width=8)
    view = BeamTreeView()
    qtbot.addWidget(view)
    view.resize(700, 360)
    view.show()
    qtbot.waitExposed(view)
    view.show_tree(result.tree, labels=lambda token: chr(97 + token % 26), marked_path=result.sequences[0])
    qtbot.wait(20)
    shown = [item for item in view._labels.values() if item.isVisible()]
    rects = [item.mapRectToScene(item.boundingRect()).adjusted(2, 2, -2, -2) for item in shown]
    overlapping = [(a, b) for i, a in enumerate(rects) for b in rects[i + 1 :] if a.intersects(b)]
    assert not overlapping
    assert len(shown) >= 2 * 10  # the marked path's characters and scores at least
    best = f"{result.scores[0]:.2f}".replace("-", "−")
    assert best in view.label_texts()
