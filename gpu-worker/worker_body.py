"""What the worker does for one attempt: download, run the engine's attempt runner, upload, report.

The meshing itself (Gmsh options, .msh reading, the quality kernel) is the engine's bundled attempt runner, built
from the desktop's src/, so local and remote results come from the very same code. This module only moves bytes
through presigned URLs (no AWS credentials here), forwards the runner's log lines and times each step.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import http.client
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, List, Optional

Push = Callable[[Dict[str, Any]], None]


class WorkerError(Exception):
    """A failure of the worker itself (not of the attempt), with a code the desktop can show."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code

    def __reduce__(self):  # Modal pickles a function's exception back to the caller
        return (WorkerError, (self.code, str(self)))


class Cancelled(Exception):
    pass


def _now_ms() -> float:
    return time.time() * 1000.0


def _retrying(what: str, fn: Callable[[], Any], tries: int = 4) -> Any:
    """Retries on 5xx, 429 and dropped connections with exponential backoff and jitter."""
    delay = 0.2
    for i in range(1, tries + 1):
        try:
            return fn()
        except urllib.error.HTTPError as e:
            if not (e.code >= 500 or e.code == 429) or i == tries:
                body = e.msg if isinstance(e.msg, str) and e.msg else ""
                raise WorkerError("transfer", f"{what}: HTTP {e.code} {body}".strip()) from None
        except (urllib.error.URLError, http.client.HTTPException, ConnectionError, socket.timeout, TimeoutError) as e:
            if i == tries:
                raise WorkerError("transfer", f"{what}: {getattr(e, 'reason', e)} (after {tries} tries)") from None
        time.sleep(delay / 2 + random.random() * delay)
        delay *= 2


def download(url: str, dest: str, expected_sha256: str) -> int:
    def once() -> int:
        h = hashlib.sha256()
        n = 0
        with urllib.request.urlopen(url, timeout=60) as r, open(dest, "wb") as f:
            while True:
                chunk = r.read(1 << 20)
                if not chunk:
                    break
                h.update(chunk)
                f.write(chunk)
                n += len(chunk)
        got = h.hexdigest()
        if got != expected_sha256:
            raise WorkerError("integrity", f"input sha256 mismatch: expected {expected_sha256}, got {got} ({n} bytes)")
        return n

    return _retrying("download of the input", once)


def upload(url: str, path: str, content_type: str = "application/octet-stream") -> int:
    size = os.path.getsize(path)
    u = urllib.parse.urlsplit(url)
    target = u.path + (f"?{u.query}" if u.query else "")

    def once() -> int:
        # http.client with 1 MiB blocks: urllib's 8 KiB writes cost more than the transfer on a fast link.
        cls = http.client.HTTPSConnection if u.scheme == "https" else http.client.HTTPConnection
        conn = cls(u.hostname, u.port, timeout=120, blocksize=1 << 20)
        try:
            conn.connect()
            # Headers and body go out as separate writes: without this the body's tail waits for a delayed ACK.
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with open(path, "rb") as f:
                conn.request("PUT", target, body=f, headers={"Content-Length": str(size), "Content-Type": content_type})
                r = conn.getresponse()
                body = r.read()
            if r.status >= 300:
                raise urllib.error.HTTPError(url, r.status, body[:300].decode("utf-8", "replace"), r.headers, None)
        finally:
            conn.close()
        return size

    return _retrying(f"upload of {os.path.basename(path)}", once)


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


WARM_RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "warm_runner.js")


class WarmPool:
    """Node processes started ahead of the calls that will use them (see warm_runner.js)."""

    def __init__(self, node: str, size: int = 1):
        self.node = node
        self.size = size
        self.idle: List[subprocess.Popen] = []
        self.lock = threading.Lock()
        self.closed = False

    def _start(self) -> subprocess.Popen:
        return subprocess.Popen([self.node, WARM_RUNNER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)

    def refill(self) -> None:
        with self.lock:
            self.idle = [p for p in self.idle if p.poll() is None]
            missing = self.size - len(self.idle)
        for _ in range(missing):
            p = self._start()
            with self.lock:
                if self.closed:
                    _kill_tree(p)
                    return
                self.idle.append(p)

    def take(self, runner: str, args: List[str]) -> subprocess.Popen:
        with self.lock:
            self.idle = [p for p in self.idle if p.poll() is None]
            proc = self.idle.pop(0) if self.idle else None
        if proc is None:
            proc = self._start()
        assert proc.stdin is not None
        proc.stdin.write(json.dumps({"runner": runner, "args": args}) + "\n")
        proc.stdin.close()
        threading.Thread(target=self.refill, daemon=True).start()
        return proc

    def close(self) -> None:
        with self.lock:
            self.closed = True
            idle, self.idle = self.idle, []
        for p in idle:
            _kill_tree(p)


_pools: Dict[str, WarmPool] = {}
_pools_lock = threading.Lock()


def warm_pool(node: str, size: int = 1) -> WarmPool:
    with _pools_lock:
        pool = _pools.get(node)
        if pool is None:
            pool = _pools[node] = WarmPool(node, size)
    return pool


def _kill_tree(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the runner and the Gmsh it started
    except (ProcessLookupError, PermissionError):
        pass


def run_attempt(
    payload: Dict[str, Any],
    push: Push,
    runner: str,
    node: str = "node",
    cancel: Optional[threading.Event] = None,
    on_process: Optional[Callable[[subprocess.Popen], None]] = None,
    scratch_root: Optional[str] = None,
    warm: bool = True,
) -> Dict[str, Any]:
    """Runs one attempt end to end; returns {outcome, workerTimings, startedAt, finishedAt}.

    Raises WorkerError when the worker cannot produce a result (transfer failure, runner crash or kill);
    a failed attempt is a normal result with outcome.status == 'failed'.
    """
    started = _now_ms()
    push({"type": "start", "ts": started})
    spec = payload["spec"]
    inp = payload["input"]
    outs = payload["outputs"]
    work = tempfile.mkdtemp(prefix=f"attempt-{spec.get('index', 0)}-", dir=scratch_root)
    timings: Dict[str, float] = {}
    try:
        name = os.path.basename(inp["name"]) or "input"
        # A fixed name: the runner checks the content and stages it as input.<ext>; the sender's name is only shown.
        in_path = os.path.join(work, "input.download")
        t = _now_ms()
        nbytes = download(inp["url"], in_path, inp["sha256"])
        timings["download"] = _now_ms() - t
        push({"type": "log", "level": "info", "text": f"worker: downloaded input {name} ({nbytes} bytes, sha256 verified)", "ts": _now_ms()})

        spec_path = os.path.join(work, "spec.json")
        with open(spec_path, "w") as f:
            json.dump(spec, f)
        run_dir = os.path.join(work, "run")
        os.makedirs(run_dir)
        args = ["--spec", spec_path, "--input", in_path, "--workdir", run_dir]
        t = _now_ms()
        if warm:
            proc = warm_pool(node).take(runner, args)
        else:
            proc = subprocess.Popen([node, runner, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
        if on_process:
            on_process(proc)
        stderr_tail: List[str] = []

        def drain_stderr() -> None:
            assert proc.stderr is not None
            for line in proc.stderr:
                stderr_tail.append(line.rstrip())
                del stderr_tail[:-20]

        threading.Thread(target=drain_stderr, daemon=True).start()
        watcher_stop = threading.Event()
        if cancel is not None:
            def watch() -> None:
                while not watcher_stop.wait(0.1):
                    if cancel.is_set():
                        _kill_tree(proc)
                        return
            threading.Thread(target=watch, daemon=True).start()

        outcome: Optional[Dict[str, Any]] = None
        assert proc.stdout is not None
        for line in proc.stdout:
            line = line.strip()
            if not line:
                continue
            try:
                msg = json.loads(line)
            except ValueError:
                push({"type": "log", "level": "debug", "text": line, "ts": _now_ms()})
                continue
            if msg.get("type") == "result":
                outcome = msg.get("outcome")
            elif msg.get("type") in ("log", "progress"):
                push(msg)
        code = proc.wait()
        watcher_stop.set()
        _kill_tree(proc)  # leftover Gmsh, if the runner left any
        timings["runner"] = _now_ms() - t
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        if outcome is None:
            how = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
            tail = "; ".join(stderr_tail[-5:])
            raise WorkerError("worker-crashed", f"the attempt runner {how} before reporting a result" + (f" ({tail})" if tail else ""))

        phases = (outcome.get("timings") or {}).get("phases") or {}
        for k in ("mesh", "read", "quality"):
            if k in phases:
                timings[k] = phases[k]
        # The attempt as the runner measured it, and the rest of the runner process (Node start-up, plumbing).
        attempt_ms = float((outcome.get("timings") or {}).get("totalMs") or 0.0)
        timings["attempt"] = attempt_ms
        timings["runnerOverhead"] = max(0.0, timings["runner"] - attempt_ms)

        t = _now_ms()
        mesh = outcome.get("mesh")
        uploads = []
        if outcome.get("status") == "completed" and mesh and mesh.get("path"):
            # The runner hashed the file it wrote; the desktop checks that sha256 after its download.
            uploads.append((outs["mesh"]["url"], mesh["path"], "application/octet-stream"))
            outcome["mesh"] = {**mesh, "path": outs["mesh"].get("key", "")}
        elif mesh:
            outcome["mesh"] = None
        result_path = os.path.join(work, "result.json")
        with open(result_path, "w") as f:
            json.dump(outcome, f)
        uploads.append((outs["result"]["url"], result_path, "application/json"))
        # Mesh and result.json go up side by side.
        with ThreadPoolExecutor(max_workers=len(uploads)) as pool:
            for fut in [pool.submit(upload, *u) for u in uploads]:
                fut.result()
        timings["upload"] = _now_ms() - t
        finished = _now_ms()
        timings["total"] = finished - started
        push({"type": "log", "level": "info", "text": f"worker: attempt {spec.get('strategy')} {outcome.get('status')}; outputs uploaded", "ts": finished})
        return {"outcome": outcome, "workerTimings": timings, "startedAt": started, "finishedAt": finished, "host": socket.gethostname()}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_preview(payload: Dict[str, Any], gmsh: str = "gmsh", scratch_root: Optional[str] = None) -> Dict[str, Any]:
    """A coarse surface mesh of the input (Gmsh -2 with a large size factor), uploaded as .msh."""
    inp = payload["input"]
    out = payload["output"]
    factor = float(payload.get("sizeFactor", 8.0))
    work = tempfile.mkdtemp(prefix="preview-", dir=scratch_root)
    try:
        t0 = _now_ms()
        in_path = os.path.join(work, os.path.basename(inp["name"]) or "input")
        download(inp["url"], in_path, inp["sha256"])
        t1 = _now_ms()
        msh = os.path.join(work, "preview.msh")
        argv = [gmsh, in_path, "-2", "-clscale", str(factor), "-nt", "1", "-format", "msh41", "-o", msh]
        p = subprocess.run(argv, capture_output=True, text=True, timeout=float(payload.get("timeoutSec", 120)))
        errors = [l for l in p.stdout.splitlines() + p.stderr.splitlines() if "Error" in l]
        if p.returncode != 0 or not os.path.exists(msh):
            raise WorkerError("preview-failed", "; ".join(errors[-3:]) or f"gmsh exited with code {p.returncode}")
        t2 = _now_ms()
        digest = sha256_file(msh)
        size = upload(out["url"], msh)
        t3 = _now_ms()
        return {
            "mesh": {"key": out.get("key", ""), "sha256": digest, "bytes": size},
            "argv": argv,
            "workerTimings": {"download": t1 - t0, "mesh": t2 - t1, "upload": t3 - t2, "total": t3 - t0},
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
