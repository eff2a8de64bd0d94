"""The character language model: training throughput against PyTorch, and the speed of writing.

Training: char-rnn's defaults, an LSTM of 2 layers × 128, chunks of 50 characters, batch 50, here with an
embedding of 64 before it (PyTorch: nn.Embedding + nn.LSTM + nn.Linear, 2 threads), for 65 and 3,000 characters;
one step is forward, cross-entropy, backward, clipping to norm 5 and Adam, in characters a second (50 × 50 a step).
Our training step runs as in the app: BLAS in one thread, the engine's own two halves of the batch on the two cores
(writing keeps BLAS in its own thread by itself).
Where the environment pins OpenBLAS to older kernels (OPENBLAS_CORETYPE), run this with it unset, or NumPy's
products run at half speed while PyTorch's do not.
Writing, at hidden 256 (2 layers, embedding 64, 65 characters): sampling in characters a second, beam search of
width 10 for 200 characters. A vocabulary of 10,000: one training step, sampling 200 characters and that beam.
"""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path

import numpy as np

from engine.bench.recurrent import best_time, paired_best_times
from engine.blas_threads import one_blas_thread
from engine.language import LanguageModelSpec, beam_search, init_model, sample
from engine.language.batches import random_chunks
from engine.language.model import State, final_state
from engine.recurrent.training import TrainConfig, Trainer

SEQ, BATCH, HIDDEN, LAYERS, EMBEDDING, CLIP = 50, 50, 128, 2, 64, 5.0


def _text(vocab: int, n: int = 200_000) -> np.ndarray:
    """Ids with a little structure (a Zipf-like draw), so that the softmax is not flat."""
    rng = np.random.default_rng(0)
    p = 1.0 / np.arange(1, vocab + 1)
    return rng.choice(vocab, size=n, p=p / p.sum())


def _ours(vocab: int):
    spec = LanguageModelSpec(vocab_size=vocab, embedding_dim=EMBEDDING, hidden_size=HIDDEN, num_layers=LAYERS)
    trainer = Trainer(spec, config=TrainConfig(lr=2e-3, clip_norm=CLIP))
    batch = random_chunks(_text(vocab), BATCH, SEQ, np.random.default_rng(1))
    carried: list[State | None] = [None]

    def step():
        with one_blas_thread():  # as in the app, which starts BLAS with one thread (app/__main__.py)
            record = trainer.step(batch, state=carried[0])
        carried[0] = final_state(record.trace)

    return step


def _torch(vocab: int):
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(2)
    torch.manual_seed(0)

    class Model(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embedding = torch.nn.Embedding(vocab, EMBEDDING)
            self.rnn = torch.nn.LSTM(EMBEDDING, HIDDEN, LAYERS)
            self.head = torch.nn.Linear(HIDDEN, vocab)

        def forward(self, ids, state):
            out, state = self.rnn(self.embedding(ids), state)
            return self.head(out), state

    model = Model()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    batch = torch.from_numpy(random_chunks(_text(vocab), BATCH, SEQ, np.random.default_rng(1)))
    carried = [None]

    def step():
        optimizer.zero_grad()
        logits, state = model(batch[:-1], carried[0])
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, vocab), batch[1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), CLIP)
        optimizer.step()
        carried[0] = tuple(s.detach() for s in state)

    return step


def _training_row(vocab: int, repeats: int) -> str:
    ours, theirs = _ours(vocab), _torch(vocab)
    chars = SEQ * BATCH
    if theirs is None:
        t = best_time(ours, repeats)
        return f"| {vocab:6,} | {chars / t:9,.0f} |         – |     – |"
    gc.disable()  # for both: the app collects cycles on its GUI thread only (app/garbage.py), never in training
    try:
        t, tt = paired_best_times(ours, theirs, repeats)
    finally:
        gc.enable()
    ratio = tt / t
    return f"| {vocab:6,} | {chars / t:9,.0f} | {chars / tt:9,.0f} | {ratio:5.2f}× |"


def _timed(fn, repeats: int) -> tuple[float, float]:
    """(wall, CPU) seconds of the fastest of ``repeats`` calls after one warm-up. Decoding runs in one thread, so
    its CPU time is what it takes on a core of its own: on a machine shared by many programs the wall time also
    counts the turns the others take."""
    fn()
    best = (float("inf"), float("inf"))
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.thread_time()
        fn()
        best = min(best, (time.perf_counter() - wall, time.thread_time() - cpu))
    return best


def _writing(vocab: int, hidden: int, repeats: int) -> str:
    spec = LanguageModelSpec(vocab_size=vocab, embedding_dim=EMBEDDING, hidden_size=hidden, num_layers=LAYERS)
    params = init_model(spec)
    prompt = np.array([1, 2, 3])
    wall, cpu = _timed(lambda: sample(spec, params, prompt, 1000, seed=0), repeats)
    beam_wall, beam_cpu = _timed(lambda: beam_search(spec, params, prompt, 200, width=10), repeats)
    return (f"writing at hidden {hidden} ({LAYERS} layers, {vocab:,} characters): sampling {1000 / wall:,.0f} "
            f"characters/s ({1000 / cpu:,.0f} a CPU-second); beam width 10 over 200 characters "
            f"{beam_wall * 1e3:.0f} ms ({beam_cpu * 1e3:.0f} ms CPU)")  # fmt: skip


def _large(vocab: int) -> list[str]:
    """One training step (batch 50 × 50), and writing, for ``vocab``."""
    train, _ = _timed(_ours(vocab), 2)
    return [f"vocabulary {vocab:,}: a training step {train * 1e3:,.0f} ms ({SEQ * BATCH / train:,.0f} characters/s)",
            _writing(vocab, HIDDEN, 2)]  # fmt: skip


def _blas_kernels() -> str:
    from threadpoolctl import threadpool_info

    mine = [i for i in threadpool_info() if Path(i["filepath"]).parent.name.startswith("numpy")]  # not SciPy's
    found = [i.get("architecture", "?") for i in mine if i.get("internal_api") == "openblas"]
    return found[0] if found else "not OpenBLAS"


def run(quick: bool = False) -> list[str]:
    repeats = 2 if quick else 10
    lines = [
        f"Language model training, LSTM {LAYERS} × {HIDDEN}, embedding {EMBEDDING}, chunks of {SEQ} × batch {BATCH}, "
        f"clip {CLIP:g} + Adam, float32 (best of {repeats}); NumPy's OpenBLAS kernels: {_blas_kernels()}; "
        f"load average at start {os.getloadavg()[0]:.2f}",
        "| vocab  | ours ch/s | torch ch/s| ours ÷ torch |",
        "|--------|-----------|-----------|-------|",
    ]
    for vocab in (65, 3000):
        lines.append(_training_row(vocab, repeats))
    lines.append(_writing(65, 256, repeats))
    lines.extend(_large(10_000))
    lines.append(f"load average at end {os.getloadavg()[0]:.2f}")
    return lines
