"""The Modal deployment of the MeshBench worker: `modal deploy gpu-worker/mesh_service.py`.

- `mesh_attempt` (T4, timeout, retries): worker_body.run_attempt, log lines pushed to a modal.Queue partition keyed
  by the call id.
- `preview`: a coarse surface mesh (Gmsh -2), CPU only.
- `web`: the HTTP app of app.py behind Modal's proxy auth (callers send Modal-Key / Modal-Secret), over an executor
  that spawns `mesh_attempt` (looked up with Function.from_name) and reads results with FunctionCall.from_id.

Build the runner first (`npm run build:engine`): the image carries out/engine/attempt-runner.cjs, the very code the
desktop runs locally. The Gmsh version is pinned and must match the desktop's bundled Gmsh for identical meshes.
This file needs the `modal` package, which only the deploying machine has; tests exercise app.py and
worker_body.py through emulator.py instead.
"""
from __future__ import annotations

import os
import shutil
import threading
import time
from typing import Any, Dict, List, Optional, Tuple

import modal

APP_NAME = "meshbench"
# The desktop bundle's Gmsh (scripts/fetch-gmsh.mjs: the official 4.8.4 Linux64 SDK); the PyPI wheel of the same
# version carries that SDK's binary, so a Linux desktop and the worker mesh with the same build.
GMSH_VERSION = "4.8.4"
RUNNER = "/opt/meshbench/attempt-runner.cjs"
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
LOG_TTL_S = 24 * 3600

app = modal.App(APP_NAME)
logs_queue = modal.Queue.from_name("meshbench-logs", create_if_missing=True)
# Idempotency key -> call id of POST /jobs, shared by every container serving the web endpoint.
submits = modal.Dict.from_name("meshbench-submits", create_if_missing=True)

worker_image = (
    modal.Image.debian_slim(python_version="3.11")
    # nodejs runs the attempt runner bundle; the X/GL libraries are what the Gmsh SDK binary links against.
    .apt_install("nodejs", "libglu1-mesa", "libxrender1", "libxcursor1", "libxft2", "libxinerama1", "libgomp1")
    .pip_install(f"gmsh=={GMSH_VERSION}")
    .env({"MESHBENCH_GMSH": "/usr/local/bin/gmsh", "PYTHONUNBUFFERED": "1"})
    .add_local_file(os.path.join(REPO, "out", "engine", "attempt-runner.cjs"), RUNNER)
    .add_local_python_source("worker_body", "app")
    .add_local_file(os.path.join(HERE, "warm_runner.js"), "/root/warm_runner.js")
)
web_image = modal.Image.debian_slim(python_version="3.11").pip_install("fastapi[standard]").add_local_python_source("worker_body", "app")


if not modal.is_local() and shutil.which("node"):
    # In a worker container (the web one has no Node): start a Node process for the first call now.
    import worker_body as _wb

    _wb.warm_pool("node").refill()


@app.function(
    image=worker_image,
    gpu="T4",
    timeout=900,
    retries=modal.Retries(max_retries=2, backoff_coefficient=2.0, initial_delay=1.0),
)
def mesh_attempt(payload: Dict[str, Any]) -> Dict[str, Any]:
    import worker_body

    call_id = modal.current_function_call_id()
    logs = BatchedLog(call_id)
    try:
        return worker_body.run_attempt(payload, logs.push, RUNNER, node="node")
    except worker_body.WorkerError as e:
        logs.push({"type": "log", "level": "error", "text": f"worker: {e}", "ts": time.time() * 1000})
        raise
    finally:
        logs.close()


class BatchedLog:
    """Log entries go to the call's Queue partition as lists (a partition holds at most 5,000 items and Gmsh
    can print far more lines); flushed every 0.25 s and at the end."""

    def __init__(self, call_id: str):
        self.call_id = call_id
        self.buf: List[Dict[str, Any]] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def push(self, entry: Dict[str, Any]) -> None:
        with self.lock:
            self.buf.append(entry)

    def flush(self) -> None:
        with self.lock:
            batch, self.buf = self.buf, []
        if batch:
            logs_queue.put(batch, partition=self.call_id, partition_ttl=LOG_TTL_S)

    def _loop(self) -> None:
        while not self.stop.wait(0.25):
            self.flush()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=2)
        self.flush()


@app.function(image=worker_image, cpu=2.0, timeout=180)
def preview(payload: Dict[str, Any]) -> Dict[str, Any]:
    import worker_body

    return worker_body.run_preview(payload, os.environ["MESHBENCH_GMSH"])


class ModalExecutor:
    """Executor of app.py over Modal primitives."""

    def __init__(self) -> None:
        self.mesh = modal.Function.from_name(APP_NAME, "mesh_attempt")
        self.preview_fn = modal.Function.from_name(APP_NAME, "preview")

    def health(self) -> Dict[str, Any]:
        return {"backend": "modal", "gmsh": {"version": GMSH_VERSION}, "gpu": "T4", "runner": {"path": RUNNER, "present": True}}

    def spawn(self, payload: Dict[str, Any]) -> str:
        return self.mesh.spawn(payload).object_id

    def recall(self, key: str) -> Optional[str]:
        return submits.get(key, None)

    def remember(self, key: str, call_id: str) -> None:
        submits[key] = call_id

    def _items(self, call_id: str) -> List[Dict[str, Any]]:
        # iterate() reads the partition in place, so every poller sees every line (get() would consume them).
        # Items are batches (BatchedLog); the cursor counts entries.
        return [entry for batch in logs_queue.iterate(partition=call_id, item_poll_timeout=0) for entry in batch]

    def poll(self, call_id: str, wait_s: float) -> Tuple[str, Optional[Dict[str, Any]]]:
        import worker_body

        # Order matters: OutputExpiredError and FunctionTimeoutError are both modal.exception.TimeoutError.
        try:
            call = modal.FunctionCall.from_id(call_id)
            result = call.get(timeout=wait_s)
        except (modal.exception.OutputExpiredError, modal.exception.NotFoundError):
            return "expired", None
        except modal.exception.FunctionTimeoutError as e:
            return "failed", {"code": "worker-timeout", "message": f"the mesh function hit its timeout: {e}"}
        except (TimeoutError, modal.exception.TimeoutError):
            return ("running" if self._items(call_id) else "queued"), None
        except worker_body.WorkerError as e:  # raised by worker_body on the T4, after Modal's retries
            return "failed", {"code": e.code, "message": str(e)}
        except Exception as e:
            if "cancel" in type(e).__name__.lower() or "terminat" in type(e).__name__.lower():
                return "cancelled", None
            return "failed", {"code": "worker-error", "message": f"{type(e).__name__}: {e}"}
        return "completed", result

    def logs(self, call_id: str, after: int) -> Optional[List[Dict[str, Any]]]:
        return self._items(call_id)[after:]

    def cancel(self, call_id: str) -> bool:
        try:
            modal.FunctionCall.from_id(call_id).cancel()
        except modal.exception.NotFoundError:
            return False
        return True

    def preview(self, payload: Dict[str, Any]) -> Dict[str, Any]:
        return self.preview_fn.spawn(payload).get(timeout=120)


@app.function(image=web_image, timeout=300)
@modal.concurrent(max_inputs=100)
@modal.asgi_app(requires_proxy_auth=True)
def web():
    from app import create_app

    return create_app(ModalExecutor())
