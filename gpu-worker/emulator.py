"""The offline stand-in for the Modal deployment: the same HTTP app (app.py) over a local executor.

A thread pool replaces Function.spawn (each call runs worker_body.run_attempt, which runs the engine's attempt
runner as a subprocess), an in-memory list per call replaces the modal.Queue partition, and a middleware checks
Modal-Key / Modal-Secret like Modal's proxy auth (401; always on: the emulator refuses to start without them).
Results expire after a TTL, then the call answers 404. What the function enforces, the emulator enforces too
(function_config.py): each attempt runs pinned to the function's CPU count, the function's timeout ends a call
(and counts as a failure Modal retries), infrastructure failures are retried up to the function's retries, a Gmsh
failure is a result, and cancel kills the runner's process tree.

Run: /usr/bin/python3 gpu-worker/emulator.py --host 127.0.0.1 --port 0 --runner out/engine/attempt-runner.cjs
It prints one JSON line {"port": N, "pid": P} on stdout once it listens.

Knobs (environment): MODAL_KEY / MODAL_SECRET (required), MESHBENCH_EMU_WORKERS (pool size, default 12 like a
fan-out of containers), MESHBENCH_EMU_QUEUE_DELAY_MS (cold-start delay before a call runs),
MESHBENCH_EMU_RESULT_TTL_S (default 3600), MESHBENCH_EMU_RETRIES (re-runs after an infrastructure failure, default
the function's), and the function's own settings (MESHBENCH_MODAL_CPU, MESHBENCH_ATTEMPT_TIMEOUT_S, ...).
"""
from __future__ import annotations

import argparse
import hmac
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, List, Optional, Tuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import function_config  # noqa: E402
import worker_body  # noqa: E402
from app import create_app  # noqa: E402


class _Call:
    def __init__(self, payload: Dict[str, Any]):
        self.payload = payload
        self.logs: List[Dict[str, Any]] = []
        self.state = "queued"
        self.result: Optional[Dict[str, Any]] = None
        self.error: Optional[Dict[str, Any]] = None
        self.done = threading.Event()
        self.cancel = threading.Event()
        self.finished_at: Optional[float] = None
        self.proc: Optional[subprocess.Popen] = None
        self.created = time.time()


class LocalExecutor:
    def __init__(self, runner: str, node: str = "node", gmsh: Optional[str] = None, workers: int = 12,
                 queue_delay_ms: float = 0.0, ttl_s: float = 3600.0, retries: int = function_config.RETRIES):
        self.runner = runner
        self.node = node
        self.gmsh = gmsh or os.environ.get("MESHBENCH_GMSH") or "gmsh"
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="emu-worker")
        self.queue_delay_s = queue_delay_ms / 1000.0
        self.ttl_s = ttl_s
        self.retries = retries
        self.calls: Dict[str, _Call] = {}
        self.submits: Dict[str, str] = {}  # idempotency key -> call id (forgotten with the call, see _expire)
        # Each call gets the function's CPU count, round-robin over this machine's cores (a container's own cores).
        self.machine_cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
        self.next_cpu = 0
        self.lock = threading.Lock()
        self._gmsh_info: Optional[Dict[str, Any]] = None
        # Node processes started ahead of the calls (worker_body.WarmPool), as a warm container would have.
        self.warm = worker_body.warm_pool(node, size=2)
        threading.Thread(target=self.warm.refill, daemon=True).start()

    # -- helpers
    def _get(self, call_id: str) -> Optional[_Call]:
        with self.lock:
            self._expire()
            return self.calls.get(call_id)

    def _expire(self) -> None:
        now = time.time()
        for cid in [c for c, v in self.calls.items() if v.finished_at is not None and now - v.finished_at > self.ttl_s]:
            del self.calls[cid]
        for key in [k for k, c in self.submits.items() if c not in self.calls]:
            del self.submits[key]

    def _cpus(self) -> Optional[List[int]]:
        if not self.machine_cpus:
            return None
        n = min(function_config.cores(), len(self.machine_cpus))
        with self.lock:
            start = self.next_cpu
            self.next_cpu = (self.next_cpu + n) % len(self.machine_cpus)
        return [self.machine_cpus[(start + i) % len(self.machine_cpus)] for i in range(n)]

    def _run(self, call_id: str, call: _Call) -> None:
        if self.queue_delay_s:
            time.sleep(self.queue_delay_s)  # a cold start
        attempt = 0
        while True:
            if call.cancel.is_set():
                call.state = "cancelled"
                break
            call.state = "running"
            # The function's timeout, as Modal enforces it: the call is ended and the failure counts for retries.
            stop = threading.Event()
            expired = threading.Event()

            def watchdog() -> None:
                if not stop.wait(function_config.FUNCTION_TIMEOUT_S):
                    expired.set()
                    call.cancel.set()
            threading.Thread(target=watchdog, daemon=True).start()
            try:
                call.result = worker_body.run_attempt(
                    call.payload, call.logs.append, self.runner, self.node, call.cancel,
                    on_process=lambda p: setattr(call, "proc", p),
                    cpus=self._cpus(), attempt_timeout_s=function_config.ATTEMPT_TIMEOUT_S,
                )
                call.state = "completed"
                break
            except worker_body.Cancelled:
                if expired.is_set():
                    err: Optional[worker_body.WorkerError] = worker_body.WorkerError(
                        "worker-timeout", f"the mesh function hit its {function_config.FUNCTION_TIMEOUT_S} s timeout", infra=True)
                    call.cancel.clear()
                else:
                    call.state = "cancelled"
                    break
            except worker_body.WorkerError as e:
                err = e
            except Exception as e:  # a bug in the worker: report it, never hang the caller
                call.error = {"code": "worker-error", "message": f"{type(e).__name__}: {e}"}
                call.state = "failed"
                break
            finally:
                stop.set()
            if err.infra and attempt < self.retries:
                attempt += 1
                call.logs.append({"type": "log", "level": "warning", "text": f"worker: {err}; retrying ({attempt}/{self.retries})", "ts": time.time() * 1000})
                continue
            # Not an infrastructure failure (or no retries left): the call's answer, as mesh_service returns it.
            call.error = {"code": err.code, "message": str(err)}
            call.state = "failed"
            break
        call.finished_at = time.time()
        call.done.set()

    # -- Executor protocol
    def health(self) -> Dict[str, Any]:
        if self._gmsh_info is None:
            self._gmsh_info = worker_body.gmsh_info(self.gmsh)
        return {
            "backend": "emulator",
            "gmsh": self._gmsh_info,
            # The function as deployed would ask for function_config.GPU; this machine has none, and says so.
            "gpu": None,
            "function": function_config.describe(),
            "runner": {"path": self.runner, "present": os.path.exists(self.runner)},
            "calls": len(self.calls),
        }

    def spawn_once(self, key: str, payload: Dict[str, Any]) -> Tuple[str, bool]:
        """Put-if-absent on the idempotency key, as mesh_service does with modal.Dict: one call per key."""
        with self.lock:
            self._expire()
            hit = self.submits.get(key)
            if hit is not None and hit in self.calls:
                return hit, True
            call_id = self._spawn_locked(payload)
            self.submits[key] = call_id
            return call_id, False

    def spawn(self, payload: Dict[str, Any]) -> str:
        with self.lock:
            return self._spawn_locked(payload)

    def _spawn_locked(self, payload: Dict[str, Any]) -> str:
        call_id = "fc-" + uuid.uuid4().hex[:24]
        call = _Call(payload)
        self.calls[call_id] = call
        self.pool.submit(self._run, call_id, call)
        return call_id

    def poll(self, call_id: str, wait_s: float) -> Tuple[str, Optional[Dict[str, Any]]]:
        call = self._get(call_id)
        if call is None:
            return "expired", None
        if wait_s > 0:
            call.done.wait(wait_s)
        if call.state == "completed":
            return "completed", call.result
        if call.state == "failed":
            return "failed", call.error
        if call.state == "cancelled":
            return "cancelled", None
        # workerPid is the emulator's own extra (Modal has no such thing): tests use it to kill the worker.
        pid = call.proc.pid if call.proc is not None and call.proc.poll() is None else None
        return call.state, {"logLines": len(call.logs), "workerPid": pid}

    def logs(self, call_id: str, after: int) -> Optional[List[Dict[str, Any]]]:
        call = self._get(call_id)
        if call is None:
            return None
        return list(call.logs[after:])

    def cancel(self, call_id: str) -> bool:
        call = self._get(call_id)
        if call is None:
            return False
        call.cancel.set()
        return True

    def kill_all(self) -> None:
        """Ends every running attempt runner (and its Gmsh): nothing outlives the emulator."""
        for call in list(self.calls.values()):
            if call.proc is not None and call.proc.poll() is None:
                worker_body._kill_tree(call.proc)
        self.warm.close()


class ProxyAuth:
    """ASGI middleware answering 401 unless Modal-Key / Modal-Secret match, as Modal's requires_proxy_auth does."""

    def __init__(self, app: Any, key: str, secret: str):
        self.app = app
        self.key = key.encode()
        self.secret = secret.encode()

    async def __call__(self, scope: Dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            headers = dict(scope.get("headers") or [])
            k = headers.get(b"modal-key", b"")
            s = headers.get(b"modal-secret", b"")
            if not (hmac.compare_digest(k, self.key) and hmac.compare_digest(s, self.secret)):
                body = b"modal-http: missing or invalid Modal-Key / Modal-Secret (proxy auth)"
                await send({"type": "http.response.start", "status": 401, "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def build(runner: str) -> Tuple[Any, LocalExecutor]:
    executor = LocalExecutor(
        runner,
        node=os.environ.get("MESHBENCH_NODE", "node"),
        workers=int(os.environ.get("MESHBENCH_EMU_WORKERS", "12")),
        queue_delay_ms=float(os.environ.get("MESHBENCH_EMU_QUEUE_DELAY_MS", "0")),
        ttl_s=float(os.environ.get("MESHBENCH_EMU_RESULT_TTL_S", "3600")),
        retries=int(os.environ.get("MESHBENCH_EMU_RETRIES", str(function_config.RETRIES))),
    )
    api = create_app(executor, title="MeshBench GPU worker (emulator)")
    key, secret = os.environ.get("MODAL_KEY"), os.environ.get("MODAL_SECRET")
    if not key or not secret:
        # Modal's endpoint always requires proxy auth: a stand-in without it would hide a missing token.
        raise SystemExit("emulator: MODAL_KEY and MODAL_SECRET must be set (the endpoint requires proxy auth, as on Modal)")
    return ProxyAuth(api, key, secret), executor


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--runner", required=True, help="path of the bundled attempt runner (out/engine/attempt-runner.cjs)")
    ap.add_argument("--exit-on-stdin-eof", action="store_true", help="exit when stdin closes (the parent ended)")
    args = ap.parse_args()
    import signal

    import uvicorn

    # proto=IPPROTO_TCP matters: accepted sockets inherit it, and asyncio only turns Nagle off (TCP_NODELAY) when
    # it is set; otherwise every keep-alive request waits ~40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    sock.listen(128)
    print(json.dumps({"port": sock.getsockname()[1], "pid": os.getpid()}), flush=True)
    asgi, executor = build(os.path.abspath(args.runner))

    def bye(*_: Any) -> None:
        executor.kill_all()
        os._exit(0)

    class Server(uvicorn.Server):
        # Exit at once on SIGTERM/SIGINT (a graceful drain would wait for long-polls) and take the runners along.
        def install_signal_handlers(self) -> None:
            signal.signal(signal.SIGTERM, bye)
            signal.signal(signal.SIGINT, bye)

    if args.exit_on_stdin_eof:
        def watch_stdin() -> None:
            while sys.stdin.buffer.read(4096):
                pass
            bye()

        threading.Thread(target=watch_stdin, daemon=True).start()
    # Hand uvicorn the bound socket itself (given an fd, uvicorn would rebuild it as a UNIX socket).
    config = uvicorn.Config(asgi, log_level="warning", access_log=False)
    Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
