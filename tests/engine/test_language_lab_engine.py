"""What the language lab reads from the engine: corpus checks, the model's reading of a text, a text written
step by step, the embedding's PCA and neighbours, the trace format."""

import numpy as np
import pytest

import resources
from engine import checks
from engine.decoding import log_softmax
from engine.export import save_trace
from engine.language import LanguageModelSpec, init_model, next_logits, sample
from engine.language.corpus import corpus
from engine.language.embedding import nearest, pca, vectors
from engine.language.export import FORMAT
from engine.language.reading import read
from engine.language.writing import write

TEXT = "the cat sat on the mat. the dog sat on the log.\n" * 4


def model(vocab_size, emb=4, seed=0):
    spec = LanguageModelSpec(vocab_size=vocab_size, embedding_dim=emb, hidden_size=6, num_layers=2)
    return spec, init_model(spec, seed=seed, dtype=np.float64)


@pytest.mark.parametrize(
    "text, problem",
    [("", "empty"), ("ab\x00\x01cd" * 10, "binary"), ("a" * 100, "one character"), ("abc", "at least")],
)
def test_texts_unfit_for_a_language_model_are_refused_by_name(text, problem):
    with pytest.raises(ValueError, match=problem):
        corpus(text)


def test_a_text_beyond_the_memory_cap_is_refused(monkeypatch):
    monkeypatch.setattr(checks, "MEMORY_CAP_BYTES", 1000)
    with pytest.raises(ValueError, match="memory cap"):
        corpus(TEXT * 10)


@pytest.mark.parametrize("name", ["texts/language_en.txt", "texts/language_zh.txt"])
def test_the_sample_texts_split_into_training_and_held_out_lines(name):
    text = resources.path(name).read_text(encoding="utf-8")
    c = corpus(text)
    assert len(c.held_out) / len(text) == pytest.approx(0.1, abs=0.02)
    assert c.vocab.decode(c.train) + c.vocab.decode(c.held_out) == text
    assert c.vocab.decode(c.train[-1:]) == "\n"


def test_the_reading_gives_each_characters_surprisal_and_the_likeliest_next():
    c = corpus(TEXT)
    spec, params = model(len(c.vocab))
    ids = c.train[:30]
    r = read(spec, params, ids)
    assert np.isnan(r.surprisal[0])
    for t in (1, 7, 29):
        logits, state = next_logits(spec, params, ids[:t])
        logp = log_softmax(logits)
        assert r.surprisal[t] == pytest.approx(-logp[ids[t]] / np.log(2))
        assert r.top_ids[t - 1][0] == np.argmax(logp) and np.all(np.diff(r.top_probs[t - 1]) <= 0)
        np.testing.assert_allclose(r.hidden[t - 1], state.h[:, 0], rtol=1e-6)


def test_writing_by_sampling_draws_what_sample_draws_and_keeps_the_distributions():
    c = corpus(TEXT)
    spec, params = model(len(c.vocab))
    prompt = c.vocab.encode("the ")
    w = write(spec, params, prompt, 12, "sample", temperature=0.7, top_k=5, seed=3)
    np.testing.assert_array_equal(w.ids, sample(spec, params, prompt, 12, temperature=0.7, top_k=5, seed=3))
    assert (w.top_probs[:, 5:] == 0).all() and np.allclose(w.top_probs.sum(1), 1)
    assert np.all(w.chosen_prob > 0)
    g = write(spec, params, prompt, 12, "greedy")
    np.testing.assert_array_equal(g.ids, g.greedy)
    np.testing.assert_array_equal(g.ids, g.top_ids[:, 0])
    b = write(spec, params, prompt, 12, "beam", width=3)
    np.testing.assert_array_equal(b.ids, b.beam.sequences[0])
    assert len(b.beam.tree) == 12
    with pytest.raises(ValueError, match="unknown strategy"):
        write(spec, params, prompt, 3, "nope")


def test_pca_finds_the_plane_of_planar_vectors_and_neighbours_are_by_cosine():
    rng = np.random.default_rng(0)
    plane = rng.normal(size=(2, 5))
    X = rng.normal(size=(30, 2)) @ plane
    coords, share = pca(X)
    assert share.sum() == pytest.approx(1.0)
    centred = X - X.mean(0)
    np.testing.assert_allclose(np.linalg.norm(coords, axis=1), np.linalg.norm(centred, axis=1), rtol=1e-8)
    Y = np.array([[1.0, 0], [0.9, 0.1], [0, 1], [-1, 0]])
    ids, sims = nearest(Y, 0, k=2)
    assert ids.tolist() == [1, 2] and sims[0] > sims[1]
    spec, params = model(7, emb=0)
    assert vectors(spec, params).shape == (7, 4 * 6)


def test_the_trace_format_writes_every_array_and_a_row_per_character(tmp_path):
    c = corpus(TEXT)
    spec, params = model(len(c.vocab))
    r = read(spec, params, c.train[:20])
    save_trace(tmp_path / "t.csv", r, FORMAT)
    lines = (tmp_path / "t.csv").read_text().splitlines()
    assert len(lines) == 21 and lines[0].startswith("t,id,surprisal_bits,next1_id")


def test_the_distribution_bars_are_the_likeliest_entries_best_first_ties_by_id():
    from engine.language.writing import _top

    rng = np.random.default_rng(0)
    p = rng.random(5000)
    p[rng.random(5000) < 0.05] = 0.9  # many ties at the top
    for bars in (1, 7, 20, 5000, 6000):
        ids, probs = _top(p, bars)
        np.testing.assert_array_equal(ids, np.argsort(-p, kind="stable")[:bars])
        np.testing.assert_array_equal(probs, p[ids])
