"""The one HTTP app of the offload contract (README.md, "HTTP contract"), built over an executor object.

On Modal the executor spawns the mesh function and reads its modal.Queue (mesh_service.py); in the emulator it is a
local thread pool with in-memory logs (emulator.py). The routes, bodies and status codes are the same in both.
Written for both Debian's fastapi 0.92 and current releases. Bodies are read raw, refused (413) as soon as they pass
schema.MAX_BODY_BYTES, and checked by schema.py's pydantic models, so a refusal is our own 400 {error {code, message}} in both.
"""
from __future__ import annotations

import json
import threading
from typing import Any, Dict, List, Optional, Protocol, Tuple

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from schema import MAX_BODY_BYTES, parse_job, valid_call_id

SERVICE_VERSION = "0.1.0"
MAX_WAIT_S = 25.0  # long-poll cap, well under proxies' request timeouts
# Sync routes share the server's thread pool (40 threads in Starlette/AnyIO). Long-polls hold a thread while they
# wait, so at most this many wait at once; beyond that a status request answers at once (the client backs off) and
# the pool always has threads for submissions, logs, cancels and health.
LONG_POLL_SLOTS = 16


class Executor(Protocol):
    def health(self) -> Dict[str, Any]: ...

    def spawn(self, payload: Dict[str, Any]) -> str: ...

    def poll(self, call_id: str, wait_s: float) -> Tuple[str, Optional[Dict[str, Any]]]:
        """('queued'|'running', info) | ('completed', result) | ('failed', error) | ('cancelled', None) | ('expired', None)"""
        ...

    def logs(self, call_id: str, after: int) -> Optional[List[Dict[str, Any]]]: ...

    def cancel(self, call_id: str) -> bool: ...

    # Idempotent submission: spawns once per idempotency key (atomic put-if-absent), else answers the call id
    # already spawned for it. Returns (call id, resent).
    def spawn_once(self, key: str, payload: Dict[str, Any]) -> Tuple[str, bool]: ...


def _err(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}, **extra}, status_code=status)


async def _read_capped(request: Request) -> Optional[bytes]:
    """The body, or None as soon as it is known to exceed MAX_BODY_BYTES: a declared Content-Length over the cap is
    refused before a byte is read, a chunked body once the cap is passed; the rest is never read into memory."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        return None
    chunks: List[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(executor: Executor, title: str = "MeshBench GPU worker") -> FastAPI:
    api = FastAPI(title=title, version=SERVICE_VERSION)
    poll_slots = threading.BoundedSemaphore(LONG_POLL_SLOTS)

    # Routes are plain `def`: they run in the server's thread pool, so a long-poll never blocks the event loop.
    @api.get("/health")
    def health() -> Dict[str, Any]:
        return {"service": "meshbench-gpu-worker", "version": SERVICE_VERSION, **executor.health()}

    @api.post("/jobs")
    async def submit(request: Request) -> JSONResponse:
        body = await _read_capped(request)
        if body is None:
            return _err(413, "too-large", f"body larger than {MAX_BODY_BYTES} bytes")
        try:
            raw = json.loads(body)
        except (ValueError, RecursionError):  # nested deeper than the parser's stack: malformed for us
            return _err(400, "bad-request", "body is not JSON (or nested too deep)")
        payload, why = parse_job(raw)
        if why or payload is None:
            return _err(400, "bad-request", why or "invalid body")
        # A client that lost the answer to its POST sends it again with the same key: it gets the same call, so an
        # attempt never runs twice because of a dropped connection.
        key = payload.get("idempotencyKey")  # validated: absent or 1..200 characters
        from starlette.concurrency import run_in_threadpool

        if key:
            call_id, resent = await run_in_threadpool(executor.spawn_once, key, payload)
            if resent:
                return JSONResponse({"callId": call_id, "status": "queued", "resent": True}, status_code=202)
        else:
            call_id = await run_in_threadpool(executor.spawn, payload)
        return JSONResponse({"callId": call_id, "status": "queued"}, status_code=202)

    @api.get("/jobs/{call_id}")
    def status(call_id: str, wait: float = 0.0) -> JSONResponse:
        if not valid_call_id(call_id):
            return _err(400, "bad-request", "not a call id")
        wait = max(0.0, min(MAX_WAIT_S, wait))
        slot = wait > 0 and poll_slots.acquire(blocking=False)
        try:
            state, body = executor.poll(call_id, wait if slot else 0.0)
        finally:
            if slot:
                poll_slots.release()
        if state in ("queued", "running"):
            return JSONResponse({"callId": call_id, "status": state, **(body or {})}, status_code=202)
        if state == "completed":
            return JSONResponse({"callId": call_id, "status": "completed", "result": body}, status_code=200)
        if state == "failed":
            return JSONResponse({"callId": call_id, "status": "failed", "error": body}, status_code=200)
        if state == "cancelled":
            return JSONResponse({"callId": call_id, "status": "cancelled"}, status_code=200)
        return _err(404, "expired", f"call {call_id} is unknown or its result has expired", callId=call_id)

    @api.get("/jobs/{call_id}/logs")
    def logs(call_id: str, after: int = 0) -> JSONResponse:
        if not valid_call_id(call_id) or not 0 <= after <= 1_000_000_000:
            return _err(400, "bad-request", "not a call id, or 'after' out of range")
        lines = executor.logs(call_id, max(0, after))
        if lines is None:
            return _err(404, "expired", f"call {call_id} is unknown or its logs have expired", callId=call_id)
        return JSONResponse({"callId": call_id, "lines": lines, "next": after + len(lines)})

    @api.delete("/jobs/{call_id}")
    def cancel(call_id: str) -> JSONResponse:
        if not valid_call_id(call_id):
            return _err(400, "bad-request", "not a call id")
        if not executor.cancel(call_id):
            return _err(404, "expired", f"call {call_id} is unknown or already gone", callId=call_id)
        return JSONResponse({"callId": call_id, "status": "cancelled"})

    return api
