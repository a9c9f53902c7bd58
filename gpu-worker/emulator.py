"""The offline stand-in for the Modal deployment: the same HTTP app (app.py) over a local executor.

A thread pool replaces Function.spawn (each call runs worker_body.run_attempt, which runs the engine's attempt
runner as a subprocess), an in-memory list per call replaces the modal.Queue partition, and a middleware checks
Modal-Key / Modal-Secret like Modal's proxy auth (401). Results expire after a TTL, then the call answers 404.

Run: /usr/bin/python3 gpu-worker/emulator.py --host 127.0.0.1 --port 0 --runner out/engine/attempt-runner.cjs
It prints one JSON line {"port": N, "pid": P} on stdout once it listens.

Knobs (environment): MODAL_KEY / MODAL_SECRET (required headers; unset = no auth), MESHBENCH_EMU_WORKERS (pool
size, default 12 like a fan-out of containers), MESHBENCH_EMU_QUEUE_DELAY_MS (cold-start delay before a call runs),
MESHBENCH_EMU_RESULT_TTL_S (default 3600), MESHBENCH_EMU_RETRIES (re-runs after a worker crash, default 0).
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
                 queue_delay_ms: float = 0.0, ttl_s: float = 3600.0, retries: int = 0):
        self.runner = runner
        self.node = node
        self.gmsh = gmsh or os.environ.get("MESHBENCH_GMSH") or "gmsh"
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="emu-worker")
        self.queue_delay_s = queue_delay_ms / 1000.0
        self.ttl_s = ttl_s
        self.retries = retries
        self.calls: Dict[str, _Call] = {}
        self.submits: Dict[str, str] = {}  # idempotency key -> call id (forgotten with the call, see _expire)
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

    def _run(self, call_id: str, call: _Call) -> None:
        if self.queue_delay_s:
            time.sleep(self.queue_delay_s)  # a cold start
        attempt = 0
        while True:
            if call.cancel.is_set():
                call.state = "cancelled"
                break
            call.state = "running"
            try:
                call.result = worker_body.run_attempt(
                    call.payload, call.logs.append, self.runner, self.node, call.cancel,
                    on_process=lambda p: setattr(call, "proc", p),
                )
                call.state = "completed"
                break
            except worker_body.Cancelled:
                call.state = "cancelled"
                break
            except worker_body.WorkerError as e:
                if e.code == "worker-crashed" and attempt < self.retries:
                    attempt += 1
                    call.logs.append({"type": "log", "level": "warning", "text": f"worker: {e}; retrying ({attempt}/{self.retries})", "ts": time.time() * 1000})
                    continue
                call.error = {"code": e.code, "message": str(e)}
                call.state = "failed"
                break
            except Exception as e:  # a bug in the worker: report it, never hang the caller
                call.error = {"code": "worker-error", "message": f"{type(e).__name__}: {e}"}
                call.state = "failed"
                break
        call.finished_at = time.time()
        call.done.set()

    # -- Executor protocol
    def health(self) -> Dict[str, Any]:
        if self._gmsh_info is None:
            try:
                p = subprocess.run([self.gmsh, "--version"], capture_output=True, text=True, timeout=20)
                version = (p.stdout.strip() or p.stderr.strip()).splitlines()[-1]
            except Exception as e:
                version = f"unavailable ({e})"
            self._gmsh_info = {"version": version, "path": self.gmsh}
        return {
            "backend": "emulator",
            "gmsh": self._gmsh_info,
            "gpu": None,
            "runner": {"path": self.runner, "present": os.path.exists(self.runner)},
            "calls": len(self.calls),
        }

    def recall(self, key: str) -> Optional[str]:
        with self.lock:
            hit = self.submits.get(key)
        return hit if hit is not None and self._get(hit) is not None else None

    def remember(self, key: str, call_id: str) -> None:
        with self.lock:
            self.submits[key] = call_id

    def spawn(self, payload: Dict[str, Any]) -> str:
        call_id = "fc-" + uuid.uuid4().hex[:24]
        call = _Call(payload)
        with self.lock:
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

    def preview(self, payload: Dict[str, Any]) -> Dict[str, Any]:
        return worker_body.run_preview(payload, self.gmsh)

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
        retries=int(os.environ.get("MESHBENCH_EMU_RETRIES", "0")),
    )
    api = create_app(executor, title="MeshBench GPU worker (emulator)")
    key, secret = os.environ.get("MODAL_KEY"), os.environ.get("MODAL_SECRET")
    return (ProxyAuth(api, key, secret) if key and secret else api), executor


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
