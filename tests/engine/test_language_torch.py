"""The language model is PyTorch's nn.Embedding + nn.LSTM/GRU/RNN + nn.Linear: the same names, loss and gradients."""

import numpy as np
import pytest

from engine.language import LanguageModelSpec, State, init_model, loss_and_grads, next_logits

torch = pytest.importorskip("torch")
nn = torch.nn

RNNS = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn_tanh": nn.RNN}
CASES = [(cell, emb) for cell in RNNS for emb in (0, 4)]


class TorchLanguageModel(nn.Module):
    def __init__(self, spec: LanguageModelSpec):
        super().__init__()
        V, E, H = spec.vocab_size, spec.embedding_dim, spec.hidden_size
        self.V = V
        self.embedding = nn.Embedding(V, E) if E else None
        self.rnn = RNNS[spec.cell](E or V, H, num_layers=spec.num_layers)
        self.head = nn.Linear(H, V)

    def forward(self, ids, state=None):
        x = self.embedding(ids) if self.embedding is not None else nn.functional.one_hot(ids, self.V).double()
        out, state = self.rnn(x, state)
        return self.head(out), state


def _torch_loss(model, ids, state=None):
    ids = torch.from_numpy(ids)
    logits, _ = model(ids[:-1], state)
    return nn.functional.cross_entropy(logits.reshape(-1, model.V), ids[1:].reshape(-1))


@pytest.mark.parametrize(("cell", "emb"), CASES, ids=[f"{c}-E{e}" for c, e in CASES])
def test_our_weights_load_into_torch_and_give_the_same_loss_and_gradients(cell, emb):
    spec = LanguageModelSpec(vocab_size=7, embedding_dim=emb, cell=cell, hidden_size=5, num_layers=2)
    params = init_model(spec, seed=2, dtype=np.float64)
    model = TorchLanguageModel(spec).double()
    model.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in params.items()}, strict=True)
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 7, (9, 3))
    h = rng.normal(size=(2, 3, 5)) * 0.5
    c = rng.normal(size=(2, 3, 5)) * 0.5 if cell == "lstm" else None
    loss, grads = loss_and_grads(spec, params, ids, State(h, c))
    expected = _torch_loss(
        model, ids, (torch.from_numpy(h), torch.from_numpy(c)) if c is not None else torch.from_numpy(h)
    )
    expected.backward()
    assert abs(loss - expected.item()) < 1e-10
    for name, p in model.named_parameters():
        np.testing.assert_allclose(grads[name], p.grad.numpy(), atol=1e-12, rtol=1e-8, err_msg=name)


@pytest.mark.parametrize(("cell", "emb"), CASES, ids=[f"{c}-E{e}" for c, e in CASES])
def test_torch_weights_load_into_ours_and_predict_the_same_next_character(cell, emb):
    spec = LanguageModelSpec(vocab_size=6, embedding_dim=emb, cell=cell, hidden_size=4, num_layers=2)
    torch.manual_seed(0)
    model = TorchLanguageModel(spec).double()
    params = {k: v.detach().numpy().copy() for k, v in model.state_dict().items()}
    assert set(params) == set(init_model(spec, dtype=np.float64))
    ids = np.random.default_rng(1).integers(0, 6, (12, 2))
    with torch.no_grad():
        assert np.isclose(loss_and_grads(spec, params, ids)[0], _torch_loss(model, ids).item(), rtol=1e-10)
        logits, _ = model(torch.from_numpy(ids[:, :1]))
    np.testing.assert_allclose(next_logits(spec, params, ids[:, 0])[0], logits[-1, 0].numpy(), rtol=1e-10)
