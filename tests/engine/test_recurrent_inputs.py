"""Bad input gets a ValueError that names the problem, before any kernel runs."""

import ast
import pathlib
import subprocess
import sys

import numpy as np
import pytest

from engine import checks
from engine.recurrent import RecurrentSpec, backward, forward, init_params, trace_bytes
from engine.recurrent.head import init_head

SPEC = RecurrentSpec(cell="lstm", input_size=3, hidden_size=4)


@pytest.fixture
def params():
    return init_params(SPEC, seed=0, dtype=np.float64)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cell": "transformer"}, "unknown cell 'transformer'"),
        ({"cell": "gru", "variant": "peephole"}, "unknown variant 'peephole' for gru"),
        ({"hidden_size": 0}, "hidden_size must be a whole number"),
        ({"num_layers": 2.5}, "num_layers must be a whole number"),
        ({"dropout": 1.0}, "dropout must be in [0, 1)"),
    ],
)
def test_bad_spec_is_refused(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("(", r"\(").replace(")", r"\)")):
        RecurrentSpec(**{"input_size": 3, **kwargs})


def test_wrong_input_shape(params):
    with pytest.raises(ValueError, match=r"input x has shape \(5, 2, 7\), expected \(any, any, 3\)"):
        forward(SPEC, params, np.zeros((5, 2, 7)))
    with pytest.raises(ValueError, match="input x has shape"):
        forward(SPEC, params, np.zeros((5, 3)))


def test_nan_and_inf_in_input(params):
    x = np.zeros((5, 2, 3))
    x[2, 1, 0] = np.nan
    with pytest.raises(ValueError, match=r"input x holds NaN or Inf \(first at index \(2, 1, 0\)\)"):
        forward(SPEC, params, x)
    params["weight_hh_l0"][0, 0] = np.inf
    with pytest.raises(ValueError, match="parameter weight_hh_l0 holds NaN or Inf"):
        forward(SPEC, params, np.zeros((5, 2, 3)))


def test_missing_mistyped_and_misshaped_parameters(params):
    del params["bias_hh_l0"]
    with pytest.raises(ValueError, match="parameters missing for this lstm: bias_hh_l0"):
        forward(SPEC, params, np.zeros((5, 2, 3)))
    p32 = init_params(SPEC, dtype=np.float32)
    with pytest.raises(ValueError, match="input x has dtype float64, but the model's parameters are float32"):
        forward(SPEC, p32, np.zeros((5, 2, 3)))
    p32["weight_ih_l0"] = np.zeros((16, 2), np.float32)
    with pytest.raises(ValueError, match=r"parameter weight_ih_l0 has shape \(16, 2\), expected \(16, 3\)"):
        forward(SPEC, p32, np.zeros((5, 2, 3), np.float32))
    mixed = init_params(SPEC, dtype=np.float32)
    mixed["bias_ih_l0"] = mixed["bias_ih_l0"].astype(np.float64)
    with pytest.raises(ValueError, match="parameters mix dtypes"):
        forward(SPEC, mixed, np.zeros((5, 2, 3), np.float32))


def test_bad_lengths_and_states(params):
    x = np.zeros((5, 2, 3))
    with pytest.raises(ValueError, match="every length must be between 1 and the sequence length 5"):
        forward(SPEC, params, x, lengths=np.array([6, 2]))
    with pytest.raises(ValueError, match="lengths must be 2 whole numbers"):
        forward(SPEC, params, x, lengths=np.array([5.0, 2.0]))
    with pytest.raises(ValueError, match=r"h0 has shape \(1, 3, 4\), expected \(1, 2, 4\)"):
        forward(SPEC, params, x, h0=np.zeros((1, 3, 4)))
    tr = forward(SPEC, params, x)
    with pytest.raises(ValueError, match="d_output has shape"):
        backward(SPEC, params, tr, np.zeros((5, 2, 8)))
    with pytest.raises(ValueError, match="truncate must be a whole number"):
        backward(SPEC, params, tr, np.zeros((5, 2, 4)), truncate=-1)


def test_trace_too_large_for_memory_cap_is_refused_with_its_size(params, monkeypatch):
    need = trace_bytes(SPEC, 1000, 1000, 8)
    assert need > 100 * 1024**2
    monkeypatch.setattr(checks, "MEMORY_CAP_BYTES", 100 * 1024**2)
    with pytest.raises(
        ValueError,
        match=r"a trace of 1000 steps × batch 1000 would need 808.7 MiB, more than the memory cap of 100.0 MiB",
    ):
        forward(SPEC, params, np.broadcast_to(np.zeros(3), (1000, 1000, 3)))


def test_engine_never_imports_qt():
    root = pathlib.Path(__file__).parents[2] / "engine"
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] in ("PySide6", "PyQt5", "PyQt6", "pyqtgraph") for n in names), path
    code = (
        "import sys, engine.recurrent, engine.checks; print([m for m in sys.modules if 'Qt' in m or 'pyqtgraph' in m])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_reference_backend_never_imports_numba():
    """The app draws its first picture with the reference while Numba loads; importing the engine and
    inspecting with the reference must not pull Numba in."""
    from tests.child_python import assert_runs

    code = (
        "import sys, numpy as np\n"
        "from engine.recurrent import RecurrentSpec, init_params, inspect\n"
        "spec = RecurrentSpec(cell='gru', input_size=2, hidden_size=3)\n"
        "inspect(spec, init_params(spec), np.zeros((4, 1, 2), np.float32), backend='reference')\n"
        "assert 'numba' not in sys.modules, 'numba was imported'\n"
    )
    assert_runs(code)


def test_parameters_too_large_for_memory_cap_are_refused_before_allocating(monkeypatch):
    """A session file asking for hidden_size 65536 once raised MemoryError (128 GiB) from inside NumPy."""
    with pytest.raises(ValueError, match=r"the parameters \(lstm, 1 layer × 65536 units\) would need 192.0 GiB"):
        init_params(RecurrentSpec(cell="lstm", input_size=3, hidden_size=65536))
    spec = RecurrentSpec(cell="gru", input_size=50, hidden_size=100, num_layers=2, bidirectional=True)
    need = spec.param_count() * 4 + 300 * 200 * 8  # float32 parameters, the largest drawn in float64 first
    assert spec.param_count() == sum(p.size for p in init_params(spec).values())
    monkeypatch.setattr(checks, "MEMORY_CAP_BYTES", need - 1)
    with pytest.raises(ValueError, match=r"the parameters \(gru, 2 layers × 100 units, bidirectional\) would need"):
        init_params(spec)
    monkeypatch.setattr(checks, "MEMORY_CAP_BYTES", need)
    init_params(spec)
    with pytest.raises(ValueError, match="an output layer of 4000 × 200 would need"):
        init_head(200, 4000)
