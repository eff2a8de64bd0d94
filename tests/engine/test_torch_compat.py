"""Weights move between PyTorch and the engine unchanged: same names, same outputs, same gradients."""

import numpy as np
import pytest

from engine.recurrent import RecurrentSpec, backward, forward, init_params

torch = pytest.importorskip("torch")

MODULES = {"rnn_tanh": "RNN", "rnn_relu": "RNN", "lstm": "LSTM", "gru": "GRU"}


@pytest.mark.parametrize("cell", list(MODULES))
@pytest.mark.parametrize(("layers", "bi"), [(1, False), (2, True)])
def test_outputs_and_gradients_match_pytorch(cell, layers, bi):
    spec = RecurrentSpec(cell=cell, input_size=3, hidden_size=5, num_layers=layers, bidirectional=bi)
    kwargs = {"nonlinearity": cell[4:]} if cell.startswith("rnn") else {}
    module = getattr(torch.nn, MODULES[cell])(3, 5, num_layers=layers, bidirectional=bi, **kwargs).double()
    params = {name: p.detach().numpy().copy() for name, p in module.named_parameters()}
    assert set(params) == set(init_params(spec))
    rng = np.random.default_rng(0)
    x = rng.normal(size=(7, 2, 3))
    d_out = rng.normal(size=(7, 2, spec.directions * 5))
    xt = torch.tensor(x, requires_grad=True)
    out, state = module(xt)
    (out * torch.tensor(d_out)).sum().backward()
    tr = forward(spec, params, x)
    g = backward(spec, params, tr, d_out)
    np.testing.assert_allclose(tr.output, out.detach().numpy(), atol=1e-12)
    h_n = state[0] if cell == "lstm" else state
    np.testing.assert_allclose(tr.h_n, h_n.detach().numpy(), atol=1e-12)
    if cell == "lstm":
        np.testing.assert_allclose(tr.c_n, state[1].detach().numpy(), atol=1e-12)
    for name, p in module.named_parameters():
        np.testing.assert_allclose(g.params[name], p.grad.numpy(), atol=1e-11, err_msg=name)
    np.testing.assert_allclose(g.dx, xt.grad.numpy(), atol=1e-11)


def test_unequal_lengths_match_packed_sequences():
    spec = RecurrentSpec(cell="lstm", input_size=2, hidden_size=4, num_layers=2, bidirectional=True)
    module = torch.nn.LSTM(2, 4, num_layers=2, bidirectional=True).double()
    params = {name: p.detach().numpy().copy() for name, p in module.named_parameters()}
    x = np.random.default_rng(1).normal(size=(6, 3, 2))
    lengths = np.array([6, 4, 2])
    packed = torch.nn.utils.rnn.pack_padded_sequence(torch.tensor(x), torch.tensor(lengths), enforce_sorted=False)
    out, (h_n, c_n) = module(packed)
    out, _ = torch.nn.utils.rnn.pad_packed_sequence(out, total_length=6)
    tr = forward(spec, params, x, lengths=lengths)
    np.testing.assert_allclose(tr.output, out.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(tr.h_n, h_n.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(tr.c_n, c_n.detach().numpy(), atol=1e-12)
