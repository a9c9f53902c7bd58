"""The Modal deployment of the MeshBench worker: `modal deploy gpu-worker/mesh_service.py`.

- `mesh_attempt`: worker_body.run_attempt, log lines pushed to a modal.Queue partition keyed by the call id. Its size
  (GPU T4 or none, CPU cores, memory), timeout and retries come from function_config.py (deploy settings); retries
  re-run infrastructure failures only, a Gmsh failure comes back as a result.
- `web`: the HTTP app of app.py behind Modal's proxy auth (callers send Modal-Key / Modal-Secret), over an executor
  that spawns `mesh_attempt` (looked up with Function.from_name) and reads results with FunctionCall.from_id.

Build the runner first (`npm run build:engine`): the image carries out/engine/attempt-runner.cjs, the very code the
desktop runs locally. Gmsh is Debian bookworm's package, pinned to one version: the same build a Debian desktop runs,
so both sides mesh byte-identically; /health reports the version and build, and the desktop compares by sha256 only
when the builds match.
This file needs the `modal` package, which only the deploying machine has; tests exercise app.py and
worker_body.py through emulator.py instead.
"""
from __future__ import annotations

import os
import threading
import time
import uuid
from typing import Any, Dict, List, Optional, Tuple

import modal

import function_config as fc

APP_NAME = "meshbench"
# Debian bookworm's gmsh package (modal's debian_slim images are bookworm), pinned to its exact version.
GMSH_DEB = "gmsh=4.8.4+ds2-3"
GMSH = "/usr/bin/gmsh"
RUNNER = "/opt/meshbench/attempt-runner.cjs"
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
LOG_TTL_S = 24 * 3600

app = modal.App(APP_NAME)
logs_queue = modal.Queue.from_name("meshbench-logs", create_if_missing=True)
# Idempotency key -> call id of POST /jobs, shared by every container serving the web endpoint.
submits = modal.Dict.from_name("meshbench-submits", create_if_missing=True)

# The object store the worker may download from and upload to (http(s) origins, comma-separated), baked in at
# deploy time: `MESHBENCH_STORE_ORIGINS=https://<bucket>.s3.<region>.amazonaws.com modal deploy ...`.
STORE_ENV = {"MESHBENCH_STORE_ORIGINS": os.environ.get("MESHBENCH_STORE_ORIGINS", "")}

base_image = (
    modal.Image.debian_slim(python_version="3.11")
    # nodejs (Debian's, Node 18) runs the attempt runner bundle; gmsh is the pinned Debian build; python3-netgen
    # (Netgen 6.2, for Debian's /usr/bin/python3) runs the netgen attempt.
    .apt_install("nodejs", GMSH_DEB, "python3-netgen")
    .env({"MESHBENCH_GMSH": GMSH, "PYTHONUNBUFFERED": "1", **fc.env(), **STORE_ENV})
)
worker_image = (
    base_image
    .add_local_file(os.path.join(REPO, "out", "engine", "attempt-runner.cjs"), RUNNER)
    .add_local_python_source("worker_body", "app", "function_config", "schema")
    .add_local_file(os.path.join(HERE, "warm_runner.js"), "/root/warm_runner.js")
)
# The web function reports the worker's Gmsh build in /health, so it runs on the same base (plus FastAPI).
web_image = base_image.pip_install("fastapi[standard]").add_local_python_source("worker_body", "app", "function_config", "schema")


if not modal.is_local() and os.environ.get("MESHBENCH_ROLE") == "worker":
    # In a worker container: start a Node process for the first call now.
    import worker_body as _wb

    _wb.warm_pool("node").refill()


@app.function(
    image=worker_image.env({"MESHBENCH_ROLE": "worker"}),
    gpu=fc.GPU,
    cpu=fc.CPU,
    memory=fc.MEMORY_MIB,
    timeout=fc.FUNCTION_TIMEOUT_S,
    scaledown_window=fc.SCALEDOWN_S,
    retries=modal.Retries(max_retries=fc.RETRIES, backoff_coefficient=2.0, initial_delay=1.0),
)
def mesh_attempt(payload: Dict[str, Any]) -> Dict[str, Any]:
    import worker_body

    call_id = modal.current_function_call_id()
    logs = BatchedLog(call_id)
    try:
        return worker_body.run_attempt(payload, logs.push, RUNNER, node="node", attempt_timeout_s=fc.ATTEMPT_TIMEOUT_S)
    except worker_body.WorkerError as e:
        logs.push({"type": "log", "level": "error", "text": f"worker: {e}", "ts": time.time() * 1000})
        if e.infra:
            raise  # Modal's retries re-run the call
        # The same input would fail the same way: an answer, not a retry (and not three times the bill).
        return {"failed": {"code": e.code, "message": str(e)}}
    finally:
        logs.close()


class BatchedLog:
    """Log entries go to the call's Queue partition as lists (a partition holds at most 5,000 items and Gmsh
    can print far more lines), written by a background thread every 0.25 s. The attempt only appends to a list:
    a slow or failing Queue never blocks it. Writes that fail are counted and dropped; the last flush at the end
    gets 2 s, then the call returns without it."""

    def __init__(self, call_id: str):
        self.call_id = call_id
        self.buf: List[Dict[str, Any]] = []
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.dropped = 0
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def push(self, entry: Dict[str, Any]) -> None:
        with self.lock:
            self.buf.append(entry)

    def flush(self) -> None:
        with self.lock:
            batch, self.buf = self.buf, []
        if batch:
            try:
                logs_queue.put(batch, partition=self.call_id, partition_ttl=LOG_TTL_S, block=False)
            except Exception:
                self.dropped += len(batch)

    def _loop(self) -> None:
        while not self.stop.wait(0.25):
            self.flush()
        self.flush()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=2)


class ModalExecutor:
    """Executor of app.py over Modal primitives."""

    def __init__(self) -> None:
        self.gmsh: Optional[Dict[str, Any]] = None
        self.mesh = modal.Function.from_name(APP_NAME, "mesh_attempt")

    def health(self) -> Dict[str, Any]:
        import worker_body

        if self.gmsh is None:
            self.gmsh = worker_body.gmsh_info(GMSH)
        return {"backend": "modal", "gmsh": self.gmsh, "gpu": fc.GPU, "function": fc.describe(), "runner": {"path": RUNNER, "present": True}}

    def spawn(self, payload: Dict[str, Any]) -> str:
        return self.mesh.spawn(payload).object_id

    def spawn_once(self, key: str, payload: Dict[str, Any]) -> Tuple[str, bool]:
        # Atomic put-if-absent across every web container: the first to claim the key spawns, the others wait
        # for its call id. A claim whose spawn failed is released, so the client's retry can spawn.
        claim = f"pending:{uuid.uuid4().hex}"
        if submits.put(key, claim, skip_if_exists=True):
            try:
                call_id = self.spawn(payload)
            except BaseException:
                submits.pop(key)
                raise
            submits[key] = call_id
            return call_id, False
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            held = submits.get(key)
            if held is None:  # released after a failed spawn: claim it ourselves
                return self.spawn_once(key, payload)
            if not str(held).startswith("pending:"):
                return held, True
            time.sleep(0.1)
        raise RuntimeError(f"idempotency key {key} is still being submitted elsewhere")

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
        except BaseException as e:  # modal's cancellation (InputCancellation) is a BaseException
            if "cancel" in type(e).__name__.lower() or "terminat" in type(e).__name__.lower():
                return "cancelled", None
            if not isinstance(e, Exception):
                raise
            return "failed", {"code": "worker-error", "message": f"{type(e).__name__}: {e}"}
        if isinstance(result, dict) and "failed" in result:  # a failure mesh_attempt answered instead of raising
            return "failed", result["failed"]
        return "completed", result

    def logs(self, call_id: str, after: int) -> Optional[List[Dict[str, Any]]]:
        return self._items(call_id)[after:]

    def cancel(self, call_id: str) -> bool:
        try:
            modal.FunctionCall.from_id(call_id).cancel()
        except modal.exception.NotFoundError:
            return False
        return True


@app.function(image=web_image, timeout=300)
@modal.concurrent(max_inputs=100)
@modal.asgi_app(requires_proxy_auth=True)
def web():
    from app import create_app

    return create_app(ModalExecutor())
