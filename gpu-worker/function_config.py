"""The mesh function's size and limits: one source for the Modal deployment (mesh_service.py), the emulator that
stands in for it, /health and the desktop's cost.

Deploy settings (environment of `modal deploy`, baked into the image so the containers agree):
- MESHBENCH_MODAL_GPU: "T4" (default) or "none" for a CPU-only function. Gmsh never uses the GPU; the worker samples
  GPU use during every attempt so an idle GPU shows in the timings and the cost.
- MESHBENCH_MODAL_CPU (physical cores, default 1.0) and MESHBENCH_MODAL_MEMORY_MIB (default 2048): reserved
  explicitly (Modal's default reservation is 0.125 cores and 128 MiB). An attempt runs Gmsh with one thread (-nt 1),
  and its time did not change between 1 and 2 cores in our measurement (DEPLOYMENT.md, "Sizing").
- MESHBENCH_ATTEMPT_TIMEOUT_S (default 600, the desktop's default attempt timeout): the worker stops an attempt at
  this limit itself and reports it as a failed attempt; the function's timeout is this plus a transfer margin, so
  Modal's own timeout (which Modal retries) only fires for a worker that is stuck outside the attempt.
"""
from __future__ import annotations

import math
import os
from typing import Any, Dict, Optional

_gpu = os.environ.get("MESHBENCH_MODAL_GPU", "T4").strip()
GPU: Optional[str] = None if _gpu.lower() in ("", "none", "cpu") else _gpu
if GPU not in (None, "T4"):
    raise ValueError(f"MESHBENCH_MODAL_GPU={_gpu!r}: use T4 or none")
CPU = float(os.environ.get("MESHBENCH_MODAL_CPU", "1.0"))
MEMORY_MIB = int(os.environ.get("MESHBENCH_MODAL_MEMORY_MIB", "2048"))
ATTEMPT_TIMEOUT_S = int(os.environ.get("MESHBENCH_ATTEMPT_TIMEOUT_S", "600"))
# Download, runner start-up, reading and judging the mesh, uploads: what an attempt needs beyond Gmsh's time.
TRANSFER_MARGIN_S = 120
FUNCTION_TIMEOUT_S = ATTEMPT_TIMEOUT_S + TRANSFER_MARGIN_S
# Re-runs after an infrastructure failure (lost transfer, container killed); a Gmsh failure is a result, never retried.
RETRIES = 2
# Modal's default: an idle container is kept (and billed) this long before it scales down.
SCALEDOWN_S = 60


def cores() -> int:
    """Whole cores an attempt may use (the emulator pins each attempt to this many)."""
    return max(1, math.ceil(CPU))


def describe() -> Dict[str, Any]:
    return {
        "gpu": GPU,
        "cpu": CPU,
        "memoryMiB": MEMORY_MIB,
        "attemptTimeoutS": ATTEMPT_TIMEOUT_S,
        "timeoutS": FUNCTION_TIMEOUT_S,
        "retries": RETRIES,
        "scaledownS": SCALEDOWN_S,
    }


def env() -> Dict[str, str]:
    """The deploy settings as environment, to bake into the image."""
    return {
        "MESHBENCH_MODAL_GPU": GPU or "none",
        "MESHBENCH_MODAL_CPU": str(CPU),
        "MESHBENCH_MODAL_MEMORY_MIB": str(MEMORY_MIB),
        "MESHBENCH_ATTEMPT_TIMEOUT_S": str(ATTEMPT_TIMEOUT_S),
    }
