"""An encoder–decoder's training step (forward, loss, backward) against the same model in PyTorch, and decoding
a typed source with beam search.

Model: GRU encoder and decoder of 128 units, embeddings of 32, additive attention, Luong's attentional hidden
state, float32; batch 64, sources and targets of 20 tokens. PyTorch (CPU, 2 threads) runs the same model with
our weights copied in (its loss is printed beside ours as a check) when it is importable; it stays optional.
"""

from __future__ import annotations

import numpy as np

from engine.bench.recurrent import paired_best_times
from engine.seq2seq import Seq2SeqSpec, decode, init_model, loss_and_grads

H, E, B, S, V = 128, 32, 64, 20, 16
SPEC = Seq2SeqSpec(V, V, E, "gru", H, 1, False, "additive")


def _batch(rng):
    src = rng.integers(3, V, (S, B))
    tgt = np.concatenate([np.full((1, B), 1), src[::-1], np.full((1, B), 2)])
    return src, np.full(B, S), tgt, np.full(B, S + 2)


def _torch(params, batch, threads: int = 2):
    """A run of PyTorch's forward + backward on the same model, and its loss; None without torch."""
    try:
        import torch
        from torch import nn
    except ImportError:
        return None
    torch.set_num_threads(threads)

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.src_embedding, self.tgt_embedding = nn.Embedding(V, E), nn.Embedding(V, E)
            self.encoder, self.decoder = nn.GRU(E, H), nn.GRU(E, H)
            self.attention = nn.Module()
            self.attention.query, self.attention.key = nn.Linear(H, H, bias=False), nn.Linear(H, H, bias=False)
            self.attention.v = nn.Linear(H, 1, bias=False)
            self.combine, self.head = nn.Linear(2 * H, H, bias=False), nn.Linear(H, V)

        def forward(self, src, tgt_in):
            keys, h = self.encoder(self.src_embedding(src))  # (S, B, H)
            states, _ = self.decoder(self.tgt_embedding(tgt_in), h)  # (T, B, H)
            q, k = self.attention.query(states), self.attention.key(keys)
            e = self.attention.v(torch.tanh(q[:, None] + k[None])).squeeze(-1)  # (T, S, B)
            a = torch.softmax(e, dim=1)
            c = torch.einsum("tsb,sbh->tbh", a, keys)
            return self.head(torch.tanh(self.combine(torch.cat([c, states], -1))))

    model = Model()
    model.load_state_dict({k: torch.from_numpy(v) for k, v in params.items()})
    src, _, tgt, _ = (torch.from_numpy(np.asarray(a)) for a in batch)

    def run():
        model.zero_grad()
        logits = model(src, tgt[:-1])
        loss = nn.functional.cross_entropy(logits.reshape(-1, V), tgt[1:].reshape(-1))
        loss.backward()
        return float(loss.detach())

    return run


def run(quick: bool = False):
    rng = np.random.default_rng(0)
    params = init_model(SPEC, seed=0, dtype=np.float32)
    batch = _batch(rng)

    def ours():
        return loss_and_grads(SPEC, params, *batch)[0]

    yield f"## seq2seq: GRU encoder–decoder, H {H}, additive attention, batch {B}, sources of {S}, float32"
    torch_run = _torch(params, batch)
    repeats = 2 if quick else 5
    if torch_run is None:
        ours()
        from engine.bench.recurrent import best_time

        yield f"training step (forward + backward): ours {best_time(ours, repeats) * 1e3:.1f} ms; PyTorch absent"
    else:
        yield f"loss: ours {ours():.6f}, PyTorch {torch_run():.6f} (the same model and weights)"
        mine, theirs = paired_best_times(ours, torch_run, repeats, rounds=3 if quick else 5)
        yield f"training step (forward + backward): ours {mine * 1e3:.1f} ms, PyTorch (2 threads) {theirs * 1e3:.1f} ms"
        yield f"ours / PyTorch: {mine / theirs:.2f} (below 1: faster)"
        one = _torch(params, batch, threads=1)
        mine, theirs = paired_best_times(ours, one, repeats, rounds=3 if quick else 5)
        yield f"and against PyTorch in 1 thread: ours {mine * 1e3:.1f} ms, PyTorch {theirs * 1e3:.1f} ms"
    src = batch[0][:, :1]
    for width in (1, 10):
        from engine.bench.recurrent import best_time

        t = best_time(lambda w=width: decode(SPEC, params, src, np.array([S]), max_len=30, width=w), repeats)
        yield f"decoding one source of {S} tokens, beam width {width:>2}, up to 30 tokens: {t * 1e3:.1f} ms"
