"""What every benchmark needs: the installed `guidelines`, bytecode as after an install, a timer."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def guidelines_exe() -> str:
    return shutil.which("guidelines", path=str(Path(sys.executable).parent)) or "guidelines"


def compile_package() -> None:
    """Bytecode as after a normal install: an editable install under PYTHONDONTWRITEBYTECODE=1 has none,
    and would recompile the package in every process."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "pipeline")], check=True)


def timed(cmd: list[str]) -> float:
    """Wall time of one whole process."""
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start
