"""The bodies the worker accepts, as pydantic models: types, ranges, sizes and names checked before anything runs.

Written for pydantic 1 (Debian's fastapi 0.92, the emulator) and 2 (Modal's image) alike: plain validators, Field
bounds, `extra = "forbid"` via Config. Downloads and uploads go only to http(s) URLs, and, when
MESHBENCH_STORE_ORIGINS is set (comma-separated `scheme://host[:port]`), only to those origins: the configured store.
"""
from __future__ import annotations

import os
import re
import urllib.parse
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from pydantic import BaseModel, Field, ValidationError, validator

try:  # Literal is in typing from 3.8
    from typing import Literal
except ImportError:  # pragma: no cover
    from typing_extensions import Literal  # type: ignore

MAX_BODY_BYTES = 1 << 20  # a job body is a few KiB; 1 MiB leaves room for many groups
ID_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")
STRATEGY_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
GROUP_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
KEY_RE = re.compile(r"^[A-Za-z0-9_.:/=+-]{1,1024}$")


def store_origins() -> List[str]:
    raw = os.environ.get("MESHBENCH_STORE_ORIGINS", "")
    return [o.strip().rstrip("/").lower() for o in raw.split(",") if o.strip()]


class StoreUrl(NamedTuple):
    """A store URL as the worker reads it: the check and the transfer use these very fields, never another parser."""

    scheme: str
    host: str
    port: int
    target: str  # path and query, as sent on the request line

    @property
    def origin(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}" + ("" if self.port == default else f":{self.port}")


def parse_store_url(url: str) -> StoreUrl:
    """Raises ValueError unless `url` is http(s) with a host and, when configured, on the store's origin.

    Refuses what parsers read differently (a backslash, user info, spaces or control characters): a URL
    like `http://127.0.0.1:A\\@127.0.0.1:B/x` has one host for urllib.parse and another for urllib.request,
    and a presigned URL never holds any of these.
    """
    if not isinstance(url, str) or len(url) > 8192:
        raise ValueError("URL longer than 8192 characters")
    if not re.fullmatch(r"[!-~]+", url) or "\\" in url:
        raise ValueError("must be a plain http(s) URL (no spaces, backslashes or control characters)")
    u = urllib.parse.urlsplit(url)
    if u.scheme not in ("http", "https") or not u.hostname:
        raise ValueError("must be an http(s) URL of the object store")
    if "@" in u.netloc:
        raise ValueError("must not carry a user name or password")
    try:
        port = u.port if u.port is not None else (443 if u.scheme == "https" else 80)
    except ValueError:
        raise ValueError("has a port that is not a number") from None
    parsed = StoreUrl(u.scheme, u.hostname.lower(), port, (u.path or "/") + (f"?{u.query}" if u.query else ""))
    allowed = store_origins()
    if allowed and parsed.origin not in allowed:
        raise ValueError(f"{parsed.origin} is not the configured object store")
    return parsed


def check_store_url(url: str) -> str:
    parse_store_url(url)
    return url


def _match(rx: "re.Pattern[str]", what: str):
    def check(cls: Any, v: str) -> str:
        if not isinstance(v, str) or not rx.match(v):
            raise ValueError(f"not a valid {what}")
        return v

    return check


class _Strict(BaseModel):
    class Config:
        extra = "forbid"


class GroupModel(_Strict):
    name: str
    label: str = Field(..., max_length=256)
    dim: Literal[2, 3]
    tags: List[int]  # length and range checked below (conlist differs between pydantic 1 and 2)
    physical: int = Field(..., ge=1, le=1_000_000_000)

    _name = validator("name", allow_reuse=True)(_match(GROUP_RE, "group name"))

    @validator("tags")
    def _tags(cls, v: List[int]) -> List[int]:
        if len(v) > 100_000 or any(t < 0 or t > 1_000_000_000 for t in v):
            raise ValueError("at most 100000 tags, each 0..1e9")
        return v


class SpecModel(BaseModel):
    """The attempt spec. Fields the engine adds later pass through to the runner, which checks them itself."""

    jobId: str
    index: int = Field(..., ge=0, le=10_000)
    strategy: str
    inputFormat: Literal["step", "iges", "brep", "stl-ascii", "stl-binary"]
    sizeFactor: float = Field(..., ge=0.01, le=1000)  # SIZE_FACTOR_RANGE in src/contract/job.ts
    elementOrder: Literal[1, 2]
    timeoutSec: float = Field(..., gt=0, le=7 * 24 * 3600)  # MAX_WAIT_SEC in src/contract/job.ts
    units: Optional[Literal["mm", "m", "in"]] = None
    groups: Optional[List[GroupModel]] = None

    _job = validator("jobId", allow_reuse=True)(_match(ID_RE, "job id"))
    _strategy = validator("strategy", allow_reuse=True)(_match(STRATEGY_RE, "strategy name"))

    @validator("groups")
    def _groups(cls, v: Optional[List[GroupModel]]) -> Optional[List[GroupModel]]:
        if v is not None and len(v) > 10_000:
            raise ValueError("at most 10000 groups")
        return v


class InputModel(_Strict):
    url: str
    sha256: str
    name: str = Field(..., min_length=1, max_length=255)

    _url = validator("url", allow_reuse=True)(lambda cls, v: check_store_url(v))
    _sha = validator("sha256", allow_reuse=True)(_match(SHA256_RE, "sha256 (64 lowercase hex digits)"))
    key: Optional[str] = Field(None, max_length=1024)  # shown only; the input's key holds its file name

    @validator("name")
    def _name(cls, v: str) -> str:
        if "/" in v or "\\" in v or "\0" in v or v in (".", ".."):
            raise ValueError("not a plain file name")
        return v


class OutputModel(_Strict):
    url: str
    key: str

    _url = validator("url", allow_reuse=True)(lambda cls, v: check_store_url(v))
    _key = validator("key", allow_reuse=True)(_match(KEY_RE, "object key"))


class OutputsModel(_Strict):
    mesh: OutputModel
    result: OutputModel


class JobBody(_Strict):
    spec: SpecModel
    input: InputModel
    outputs: OutputsModel
    idempotencyKey: Optional[str] = Field(None, min_length=1, max_length=200)


def _describe(e: ValidationError) -> str:
    first = e.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "__root__")
    return f"{where}: {first.get('msg', 'invalid')}" if where else str(first.get("msg", "invalid"))


def parse_job(raw: Any) -> Tuple[Optional[Dict[str, Any]], Optional[str]]:
    """(payload, None) with the body as the worker will use it, or (None, why it is refused)."""
    if not isinstance(raw, dict):
        return None, "body must be a JSON object"
    try:
        body = JobBody.parse_obj(raw) if not hasattr(JobBody, "model_validate") else JobBody.model_validate(raw)
    except ValidationError as e:
        return None, _describe(e)
    # The spec travels as sent (the runner reads fields this module does not know); the rest as validated.
    spec = {**raw["spec"], **_dump(body.spec)}  # known fields as validated; later ones as sent, for the runner
    return {**raw, "spec": spec, "input": _dump(body.input), "outputs": {"mesh": _dump(body.outputs.mesh), "result": _dump(body.outputs.result)}}, None


def _dump(m: BaseModel) -> Dict[str, Any]:
    d = m.model_dump() if hasattr(m, "model_dump") else m.dict()
    return {k: v for k, v in d.items() if v is not None}


def valid_call_id(call_id: str) -> bool:
    return bool(ID_RE.match(call_id or ""))
