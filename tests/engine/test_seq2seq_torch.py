"""The encoder–decoder is PyTorch's modules under the same names: the same loss and gradients, padding and
a bidirectional encoder included."""

import numpy as np
import pytest

from engine.seq2seq import Seq2SeqSpec, init_model, loss_and_grads
from tests.engine.test_seq2seq import pairs

torch = pytest.importorskip("torch")
nn = torch.nn
RNNS = {"lstm": nn.LSTM, "gru": nn.GRU}


class TorchSeq2Seq(nn.Module):
    def __init__(self, spec: Seq2SeqSpec):
        super().__init__()
        H, E, self.spec = spec.hidden_size, spec.embedding_dim, spec
        self.src_embedding, self.tgt_embedding = nn.Embedding(spec.src_vocab, E), nn.Embedding(spec.tgt_vocab, E)
        bi = spec.bidirectional_encoder
        self.encoder = RNNS[spec.cell](E, H // 2 if bi else H, bidirectional=bi)
        self.decoder = RNNS[spec.cell](E, H)
        self.attention = nn.Module()
        if spec.attention == "general":
            self.attention.weight = nn.Parameter(torch.zeros(H, H))
        if spec.attention == "additive":
            self.attention.query, self.attention.key = nn.Linear(H, H, bias=False), nn.Linear(H, H, bias=False)
            self.attention.v = nn.Linear(H, 1, bias=False)
        self.combine, self.head = nn.Linear(2 * H, H, bias=False), nn.Linear(H, spec.tgt_vocab)

    def forward(self, src, src_lengths, tgt_in):
        packed = nn.utils.rnn.pack_padded_sequence(self.src_embedding(src), src_lengths, enforce_sorted=False)
        keys, state = self.encoder(packed)
        keys, _ = nn.utils.rnn.pad_packed_sequence(keys, total_length=src.shape[0])  # (S, B, H)
        if self.spec.bidirectional_encoder:  # (2, B, H/2) -> (1, B, H)
            state = tuple(torch.cat([s[0::2], s[1::2]], -1) for s in state) if isinstance(state, tuple) else \
                torch.cat([state[0::2], state[1::2]], -1)  # fmt: skip
        states, _ = self.decoder(self.tgt_embedding(tgt_in), state)  # (T, B, H)
        if self.spec.attention == "dot":
            e = torch.einsum("tbh,sbh->tbs", states, keys)
        elif self.spec.attention == "general":
            e = torch.einsum("tbh,sbh->tbs", states, keys @ self.attention.weight.T)
        else:
            u = torch.tanh(self.attention.query(states)[:, :, None] + self.attention.key(keys).transpose(0, 1)[None])
            e = self.attention.v(u)[..., 0]
        valid = torch.arange(src.shape[0])[None, :] < src_lengths[:, None]  # (B, S)
        a = torch.softmax(e.masked_fill(~valid[None], float("-inf")), dim=-1)
        c = torch.einsum("tbs,sbh->tbh", a, keys)
        return self.head(torch.tanh(self.combine(torch.cat([c, states], -1))))


@pytest.mark.parametrize(("cell", "attention", "bi"), [("gru", "additive", False), ("lstm", "general", True),
                                                       ("gru", "dot", True)])  # fmt: skip
def test_loss_and_gradients_equal_pytorchs(cell, attention, bi):
    spec = Seq2SeqSpec(9, 8, 3, cell, 4, 1, bi, attention)
    params = init_model(spec, seed=0, dtype=np.float64)
    src, sl, tgt, tl = pairs(np.random.default_rng(0))
    loss, grads = loss_and_grads(spec, params, src, sl, tgt, tl)
    model = TorchSeq2Seq(spec).double()
    model.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in params.items()})
    logits = model(torch.from_numpy(src), torch.from_numpy(sl), torch.from_numpy(tgt[:-1]))
    mask = torch.from_numpy(np.arange(tgt.shape[0] - 1)[:, None] < (tl - 1)[None, :])
    nll = nn.functional.cross_entropy(logits.reshape(-1, 8), torch.from_numpy(tgt[1:]).reshape(-1), reduction="none")
    theirs = (nll * mask.reshape(-1)).sum() / mask.sum()
    theirs.backward()
    assert loss == pytest.approx(theirs.item(), abs=1e-12)
    for name, p in model.named_parameters():
        np.testing.assert_allclose(grads[name], p.grad.numpy(), atol=1e-12, err_msg=name)
