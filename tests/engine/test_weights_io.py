"""Weights trained in PyTorch open in the engine, and the engine's open in PyTorch, through .npz and
.safetensors files: same names, same outputs."""

import numpy as np
import pytest

from engine import io
from engine.recurrent import RecurrentSpec, forward

torch = pytest.importorskip("torch")
safetensors_torch = pytest.importorskip("safetensors.torch")

MODULES = {"rnn_tanh": "RNN", "rnn_relu": "RNN", "lstm": "LSTM", "gru": "GRU"}
SHAPES = [(1, False), (2, True)]


def torch_module(cell: str, layers: int, bi: bool, seed: int = 0) -> "torch.nn.Module":
    torch.manual_seed(seed)
    kwargs = {"nonlinearity": cell[4:]} if cell.startswith("rnn") else {}
    return getattr(torch.nn, MODULES[cell])(3, 5, num_layers=layers, bidirectional=bi, **kwargs)


def export(module: "torch.nn.Module", path) -> None:
    """What the README tells a PyTorch user to do."""
    if path.suffix == ".safetensors":
        safetensors_torch.save_file(module.state_dict(), path)
    else:
        np.savez(path, **{name: t.detach().numpy() for name, t in module.state_dict().items()})


def torch_output(module: "torch.nn.Module", x: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return module(torch.from_numpy(x))[0].numpy()


@pytest.mark.parametrize("suffix", [".npz", ".safetensors"])
@pytest.mark.parametrize("cell", list(MODULES))
@pytest.mark.parametrize(("layers", "bi"), SHAPES)
def test_pytorch_weights_give_pytorchs_outputs_in_the_engine(tmp_path, suffix, cell, layers, bi):
    module = torch_module(cell, layers, bi)
    path = tmp_path / f"model{suffix}"
    export(module, path)
    params = io.load_weights(path)
    spec = RecurrentSpec(cell=cell, input_size=3, hidden_size=5, num_layers=layers, bidirectional=bi)
    assert set(params) == set(spec.param_shapes())
    assert all(p.dtype == np.float32 for p in params.values())
    x = np.random.default_rng(0).normal(size=(9, 2, 3)).astype(np.float32)
    np.testing.assert_allclose(forward(spec, params, x).output, torch_output(module, x), atol=1e-5)


@pytest.mark.parametrize("suffix", [".npz", ".safetensors"])
@pytest.mark.parametrize("cell", list(MODULES))
@pytest.mark.parametrize(("layers", "bi"), SHAPES)
def test_engine_weights_give_the_engines_outputs_in_pytorch(tmp_path, suffix, cell, layers, bi):
    spec = RecurrentSpec(cell=cell, input_size=3, hidden_size=5, num_layers=layers, bidirectional=bi)
    rng = np.random.default_rng(1)
    params = {name: rng.uniform(-0.5, 0.5, shape).astype(np.float32) for name, shape in spec.param_shapes().items()}
    path = tmp_path / f"model{suffix}"
    io.save_weights(path, params)
    if suffix == ".safetensors":
        state = safetensors_torch.load_file(path)
    else:
        with np.load(path, allow_pickle=False) as archive:
            state = {name: torch.from_numpy(archive[name]) for name in archive.files}
    module = torch_module(cell, layers, bi, seed=2)
    module.load_state_dict(state)  # strict: every name present, none extra
    x = rng.normal(size=(9, 2, 3)).astype(np.float32)
    np.testing.assert_allclose(torch_output(module, x), forward(spec, params, x).output, atol=1e-5)


@pytest.mark.parametrize("suffix", [".npz", ".safetensors"])
def test_a_failed_save_leaves_the_old_file_whole_and_no_temporary_file(tmp_path, monkeypatch, suffix):
    path = tmp_path / f"w{suffix}"
    io.save_weights(path, {"weight_ih_l0": np.ones((4, 2), np.float32)})
    with pytest.raises(ValueError, match="NaN"):
        io.save_weights(path, {"weight_ih_l0": np.full((4, 2), np.nan, np.float32)})

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(io.os, "fsync", disk_full)
    with pytest.raises(OSError):
        io.save_weights(path, {"weight_ih_l0": np.zeros((4, 2), np.float32)})
    monkeypatch.undo()
    np.testing.assert_array_equal(io.load_weights(path)["weight_ih_l0"], np.ones((4, 2)))
    assert [p.name for p in tmp_path.iterdir()] == [path.name]
