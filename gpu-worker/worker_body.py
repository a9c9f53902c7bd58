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
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import http.client
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, List, Optional, Tuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from schema import StoreUrl, parse_store_url  # noqa: E402

Push = Callable[[Dict[str, Any]], None]


class WorkerError(Exception):
    """A failure of the worker itself (not of the attempt), with a code the desktop can show.

    `infra` marks what another try may fix (a transfer that kept failing, a runner killed from outside): only these
    are raised to Modal, whose retries re-run the call. The rest (a runner that crashed on this input, an attempt over
    its time limit) would fail the same way again and come back as a result.
    """

    def __init__(self, code: str, message: str, infra: bool = False):
        super().__init__(message)
        self.code = code
        self.infra = infra

    def __reduce__(self):  # Modal pickles a function's exception back to the caller
        return (WorkerError, (self.code, str(self), self.infra))


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
                body = e.msg if isinstance(e.msg, str) else ""  # the store's answer, read by _refused
                raise WorkerError("transfer", f"{what}: {explain_http(e.code, body)}", infra=e.code >= 500 or e.code == 429) from None
        except (http.client.HTTPException, OSError) as e:  # refused, reset, timed out, no such host
            if i == tries:
                raise WorkerError("transfer", f"{what}: {getattr(e, 'reason', e)} (after {tries} tries)", infra=True) from None
        time.sleep(delay / 2 + random.random() * delay)
        delay *= 2


def explain_http(status: int, body: str) -> str:
    """An S3 refusal of a presigned URL, in words: the store's error code decides (wrong region, checksum, expiry)."""
    code = ""
    if "<Code>" in body:
        code = body.split("<Code>", 1)[1].split("</Code>", 1)[0]
    why = {
        "PermanentRedirect": "the presigned URL was signed for another region than the bucket's",
        "AuthorizationHeaderMalformed": "the presigned URL was signed for another region than the bucket's",
        "BadDigest": "the store refused the checksum the URL carries",
        "XAmzContentSHA256Mismatch": "the store refused the checksum the URL carries",
        "SignatureDoesNotMatch": "the store refused the URL's signature",
        "ExpiredToken": "the credentials that signed the URL have expired",
    }.get(code)
    if why is None and status == 403 and "expired" in body.lower():
        why = "the presigned URL has expired"
    if why is None and status == 301:
        why = "the presigned URL was signed for another region than the bucket's"
    detail = f"HTTP {status}" + (f" {code}" if code else "")
    return f"{why} ({detail})" if why else (f"{detail} {body[:200]}".strip() if not code else detail)


def _store_url(url: str, what: str) -> StoreUrl:
    try:
        return parse_store_url(url)
    except ValueError as e:
        raise WorkerError("bad-request", f"{what} URL refused: {e}") from None


def _connect(u: StoreUrl, timeout: float) -> http.client.HTTPConnection:
    """A connection to the very host and port the store check read (http.client never follows redirects, and speaks
    http(s) only: no file://, ftp://, data:). 1 MiB blocks: urllib's 8 KiB writes cost more than a fast transfer."""
    cls = http.client.HTTPSConnection if u.scheme == "https" else http.client.HTTPConnection
    conn = cls(u.host, u.port, timeout=timeout, blocksize=1 << 20)
    conn.connect()
    # Headers and body go out as separate writes: without this the body's tail waits for a delayed ACK.
    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return conn


def _refused(url: str, r: http.client.HTTPResponse) -> urllib.error.HTTPError:
    # A 3xx too: a presigned URL never redirects, and a redirect is not followed.
    return urllib.error.HTTPError(url, r.status, r.read(2000).decode("utf-8", "replace"), r.headers, None)


def download(url: str, dest: str, expected_sha256: str) -> int:
    u = _store_url(url, "input")

    def once() -> int:
        h = hashlib.sha256()
        n = 0
        conn = _connect(u, 60)
        try:
            conn.request("GET", u.target)
            r = conn.getresponse()
            if r.status >= 300:
                raise _refused(url, r)
            with open(dest, "wb") as f:
                while True:
                    chunk = r.read(1 << 20)
                    if not chunk:
                        break
                    h.update(chunk)
                    f.write(chunk)
                    n += len(chunk)
        finally:
            conn.close()
        got = h.hexdigest()
        if got != expected_sha256:
            raise WorkerError("integrity", f"input sha256 mismatch: expected {expected_sha256}, got {got} ({n} bytes)")
        return n

    return _retrying("download of the input", once)


def upload(url: str, path: str, content_type: str = "application/octet-stream") -> int:
    u = _store_url(url, "output")
    size = os.path.getsize(path)

    def once() -> int:
        conn = _connect(u, 120)
        try:
            with open(path, "rb") as f:
                conn.request("PUT", u.target, body=f, headers={"Content-Length": str(size), "Content-Type": content_type})
                r = conn.getresponse()
                if r.status >= 300:
                    raise _refused(url, r)
                r.read()
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

    def take(self, runner: str, args: List[str], cpus: Optional[List[int]] = None) -> subprocess.Popen:
        with self.lock:
            self.idle = [p for p in self.idle if p.poll() is None]
            proc = self.idle.pop(0) if self.idle else None
        if proc is None:
            proc = self._start()
        if cpus:
            # Before the request goes in: Gmsh, started by the runner, inherits the affinity.
            os.sched_setaffinity(proc.pid, cpus)
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


class GpuSampler:
    """Samples GPU use (nvidia-smi, once a second) while an attempt runs, so an idle GPU shows in the result.
    Without nvidia-smi it says so: {"present": False, "reason": ...}."""

    QUERY = ["--query-gpu=name,utilization.gpu,memory.used", "--format=csv,noheader,nounits"]

    def __init__(self, nvidia_smi: Optional[str] = None, period_s: float = 1.0):
        self.exe = nvidia_smi if nvidia_smi is not None else shutil.which("nvidia-smi")
        self.period_s = period_s
        self.samples: List[Tuple[float, float]] = []
        self.name: Optional[str] = None
        self.error: Optional[str] = None
        self.stop_event = threading.Event()
        self.thread: Optional[threading.Thread] = None

    def _sample(self) -> None:
        try:
            out = subprocess.run([self.exe, *self.QUERY], capture_output=True, text=True, timeout=5).stdout
            name, util, mem = [x.strip() for x in out.strip().splitlines()[0].split(",")][:3]
            self.name = name
            self.samples.append((float(util), float(mem)))
        except Exception as e:  # a GPU that cannot be read is reported, never fatal
            self.error = f"{type(e).__name__}: {e}"

    def start(self) -> "GpuSampler":
        if self.exe:
            def loop() -> None:
                self._sample()
                while not self.stop_event.wait(self.period_s):
                    self._sample()
            self.thread = threading.Thread(target=loop, daemon=True)
            self.thread.start()
        return self

    def stop(self) -> Dict[str, Any]:
        self.stop_event.set()
        if self.thread:
            self.thread.join(timeout=6)
        if not self.exe:
            return {"present": False, "reason": "no GPU (nvidia-smi not found)"}
        if not self.samples:
            return {"present": False, "reason": f"nvidia-smi gave no reading ({self.error or 'no output'})"}
        utils = [u for u, _ in self.samples]
        return {
            "present": True,
            "name": self.name,
            "samples": len(self.samples),
            "utilAvgPct": round(sum(utils) / len(utils), 1),
            "utilMaxPct": max(utils),
            "memMaxMiB": max(m for _, m in self.samples),
        }


def gmsh_info(gmsh: str) -> Dict[str, Any]:
    """Version and build of a Gmsh binary from `gmsh -info`: two sides mesh byte-identically only with the same build."""
    try:
        p = subprocess.run([gmsh, "-info"], capture_output=True, text=True, timeout=30)
        fields: Dict[str, str] = {}
        for line in (p.stdout + p.stderr).splitlines():
            if ":" in line:
                k, v = line.split(":", 1)
                fields[k.strip()] = v.strip()
        version = fields.get("Version", "unknown")
        build = " ".join(x for x in (fields.get("Build OS"), fields.get("Build date"), fields.get("Build host"),
                                     f"OCC {fields['OCC version']}" if fields.get("OCC version") else None) if x)
        return {"version": version, "build": build or "unknown", "path": gmsh}
    except Exception as e:
        return {"version": f"unavailable ({e})", "build": "unknown", "path": gmsh}


def run_attempt(
    payload: Dict[str, Any],
    push: Push,
    runner: str,
    node: str = "node",
    cancel: Optional[threading.Event] = None,
    on_process: Optional[Callable[[subprocess.Popen], None]] = None,
    scratch_root: Optional[str] = None,
    warm: bool = True,
    cpus: Optional[List[int]] = None,
    attempt_timeout_s: Optional[float] = None,
    nvidia_smi: Optional[str] = None,
) -> Dict[str, Any]:
    """Runs one attempt end to end; returns {outcome, workerTimings, startedAt, finishedAt, gpu, cpus}.

    Raises WorkerError when the worker cannot produce a result (transfer failure, runner crash or kill);
    a failed attempt is a normal result with outcome.status == 'failed'. `cpus` pins the runner and its Gmsh to
    those cores (the function's CPU count); `attempt_timeout_s` caps the spec's timeout (the function's limit).
    """
    started = _now_ms()
    push({"type": "start", "ts": started})
    spec = payload["spec"]
    inp = payload["input"]
    outs = payload["outputs"]
    work = tempfile.mkdtemp(prefix=f"attempt-{spec.get('index', 0)}-", dir=scratch_root)
    timings: Dict[str, float] = {}
    live: List[subprocess.Popen] = []
    try:
        name = os.path.basename(inp["name"]) or "input"
        # A fixed name (with the sender's extension, lowercased, so a refusal can say "not a STEP file"): the runner
        # checks the content and stages it as input.<detected ext> for Gmsh; the sender's name is only shown.
        ext = os.path.splitext(name)[1].lower()
        in_path = os.path.join(work, "input" + (ext if re.match(r"^\.[a-z0-9]{1,8}$", ext) else ".download"))
        t = _now_ms()
        nbytes = download(inp["url"], in_path, inp["sha256"])
        timings["download"] = _now_ms() - t
        push({"type": "log", "level": "info", "text": f"worker: downloaded input {name} ({nbytes} bytes, sha256 verified)", "ts": _now_ms()})

        limit_s = float(spec.get("timeoutSec") or 600)
        if attempt_timeout_s and limit_s > attempt_timeout_s:
            # The function cannot give more: the runner stops Gmsh at the function's attempt limit, and says so.
            push({"type": "log", "level": "warning", "text": f"worker: attempt timeout {int(limit_s)} s capped at the function's {int(attempt_timeout_s)} s", "ts": _now_ms()})
            limit_s = float(attempt_timeout_s)
            spec = {**spec, "timeoutSec": limit_s}
        spec_path = os.path.join(work, "spec.json")
        with open(spec_path, "w") as f:
            json.dump(spec, f)
        run_dir = os.path.join(work, "run")
        os.makedirs(run_dir, mode=0o700)  # the runner refuses a work folder others could write to
        args = ["--spec", spec_path, "--input", in_path, "--workdir", run_dir]
        t = _now_ms()
        if warm:
            proc = warm_pool(node).take(runner, args, cpus)
        else:
            proc = subprocess.Popen([node, runner, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
            if cpus:
                os.sched_setaffinity(proc.pid, cpus)
        live.append(proc)
        if on_process:
            on_process(proc)
        used_cpus = sorted(os.sched_getaffinity(proc.pid)) if hasattr(os, "sched_getaffinity") and proc.poll() is None else None
        gpu = GpuSampler(nvidia_smi).start()
        stderr_tail: List[str] = []

        def drain_stderr() -> None:
            assert proc.stderr is not None
            for line in proc.stderr:
                stderr_tail.append(line.rstrip())
                del stderr_tail[:-20]

        threading.Thread(target=drain_stderr, daemon=True).start()
        watcher_stop = threading.Event()
        # The runner stops Gmsh at the spec's timeout itself; this backstop (plus time to read and judge the mesh)
        # ends a runner that hangs anyway, before the function's own timeout (which Modal would retry) is reached.
        deadline = time.monotonic() + limit_s + 60
        timed_out = threading.Event()

        def watch() -> None:
            while not watcher_stop.wait(0.1):
                if cancel is not None and cancel.is_set():
                    _kill_tree(proc)
                    return
                if time.monotonic() > deadline:
                    timed_out.set()
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
        gpu_use = gpu.stop()
        timings["runner"] = _now_ms() - t
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        if timed_out.is_set():
            raise WorkerError("attempt-timeout", f"the attempt ran past its {int(limit_s)} s limit and was stopped")
        if outcome is None:
            how = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
            tail = "; ".join(stderr_tail[-5:])
            # Killed from outside (the kernel's OOM killer, a dying container): another try may well succeed.
            # Exiting on its own without a result is this input's doing and would fail again.
            raise WorkerError("worker-crashed", f"the attempt runner {how} before reporting a result" + (f" ({tail})" if tail else ""),
                              infra=code == -signal.SIGKILL)

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
        return {"outcome": outcome, "workerTimings": timings, "startedAt": started, "finishedAt": finished, "host": socket.gethostname(),
                "gpu": gpu_use, "cpus": used_cpus}
    finally:
        # However the call ends (Modal cancelling it raises here), the runner and its Gmsh do not outlive it.
        for p in live:
            if p.poll() is None:
                _kill_tree(p)
        shutil.rmtree(work, ignore_errors=True)
