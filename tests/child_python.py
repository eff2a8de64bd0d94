"""Running a few lines of Python in a fresh interpreter, for what one process cannot test twice (what is imported,
process-wide settings)."""

import subprocess
import sys


def assert_runs(code: str, timeout: float = 120) -> None:
    """``code`` runs to the end in a new interpreter; its standard error is the failure's message."""
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    assert run.returncode == 0, run.stderr
