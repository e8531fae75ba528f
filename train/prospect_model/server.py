"""The scoring API (FastAPI): ``POST /predict``, ``GET /health``; run it with ``prospect-serve``.

``POST /predict`` takes one of

* ``{"domain_userid": "..."}``: the visitor's attributes are read from Snowplow
  Signals through the SDK (``get_service_attributes`` of the service that
  ``prospect-signals export`` defined, keyed on ``domain_userid``, as in the
  tutorial), then scored;
* ``{"attributes": {"num_page_views": 3, ...}}``: these values are scored (plain or
  ``group_v1:attr`` names; missing or null values get the contract's defaults).

and returns the score (probability of the target), the decision at the model's
threshold, the model's version (trained at, data fingerprint, kind, target) and
the inputs it used (plus which features were defaulted and which keys ignored).

Bad bodies (not JSON, unknown fields, neither or both of the two, a value of the
wrong type) get 422 with a one-line ``error``, a body over the size limit 413,
Signals not configured 503, Signals failing 502; never a 500 for a request.

Configuration (environment, set by ``prospect-serve`` from its options):
``PROSPECT_MODEL_DIR`` (model folder), ``PROSPECT_SIGNALS_SERVICE`` (service
name), ``PROSPECT_MAX_BODY_BYTES``, and the Signals credentials of
:mod:`.signals_export` (``SNOWPLOW_SIGNALS_API_URL``, ...). The model is loaded
once, when the app is created.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import socket
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator

from .cli_support import OneLineParser, UsageError, positive_int
from .errors import EXIT_BAD_INPUT, EXIT_OK
from .serving import DEFAULT_MODEL_DIR, MODEL_DIR_ENV, ServingError, ServingModel
from .signals_export import (
    ATTRIBUTE_KEY,
    DEFAULT_SERVICE_NAME,
    ExportError,
    missing_credentials,
    signals_client_from_env,
)

log = logging.getLogger("prospect_model.server")  # not __name__: also under python -m

SERVICE_ENV = "PROSPECT_SIGNALS_SERVICE"
MAX_BODY_ENV = "PROSPECT_MAX_BODY_BYTES"
DEFAULT_MAX_BODY_BYTES = 64 * 1024
MAX_ID_LENGTH = 256


# --------------------------------------------------------------------------- API models


class PredictRequest(BaseModel):
    """Body of ``POST /predict``: exactly one of ``domain_userid`` and ``attributes``."""

    model_config = ConfigDict(extra="forbid")

    domain_userid: str | None = Field(
        default=None, min_length=1, max_length=MAX_ID_LENGTH,
        description="Read this visitor's attributes from Signals and score them.",
    )
    attributes: dict[str, Any] | None = Field(
        default=None,
        description="Score these attribute values (plain or group_v1:attr names; null = missing).",
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> PredictRequest:
        if (self.domain_userid is None) == (self.attributes is None):
            raise ValueError("give exactly one of domain_userid and attributes")
        return self


class ModelVersion(BaseModel):
    """What identifies the model that scored."""

    trained_at: str | None
    data_fingerprint: str | None
    kind: str | None
    target: str | None


class PredictResponse(BaseModel):
    """The score of one visitor."""

    score: float = Field(description="Probability of the target (e.g. a form submitted in the next hour).")
    threshold: float = Field(description="The model's decision threshold.")
    is_prospect: bool = Field(description="score >= threshold.")
    model: ModelVersion
    inputs: dict[str, Any] = Field(description="The model's input values, after defaults and transforms.")
    defaulted: list[str] = Field(description="Features that were missing or null and got their default.")
    ignored: list[str] = Field(description="Keys that are not features of the model.")
    source: str = Field(description="'signals' or 'attributes'.")
    domain_userid: str | None = None


class HealthResponse(BaseModel):
    """``GET /health``."""

    status: str
    model: ModelVersion
    features: list[str]
    threshold: float
    signals_configured: bool
    signals_service: str


class ErrorResponse(BaseModel):
    """Every error: one line."""

    error: str


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class ServerSettings:
    """What the app needs besides the model."""

    signals_service: str = DEFAULT_SERVICE_NAME
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ServerSettings:
        env = os.environ if env is None else env
        raw = env.get(MAX_BODY_ENV, str(DEFAULT_MAX_BODY_BYTES))
        try:
            max_body = int(raw)
        except ValueError:
            raise ServingError(f"{MAX_BODY_ENV} must be a whole number of bytes, not {raw!r}") from None
        if max_body < 64:
            raise ServingError(f"{MAX_BODY_ENV} must be at least 64 bytes, not {max_body}")
        return cls(signals_service=env.get(SERVICE_ENV) or DEFAULT_SERVICE_NAME, max_body_bytes=max_body)


# --------------------------------------------------------------------------- body size limit


class BodySizeLimit:
    """ASGI middleware: 413 for a request body over ``max_bytes`` (declared by content-length, or
    streamed in chunks: then read here, at most ``max_bytes``, and replayed to the app)."""

    def __init__(self, app: Callable[..., Awaitable[None]], max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _reject(self, send: Callable[[dict], Awaitable[None]]) -> None:
        body = (f'{{"error":"request body larger than {self.max_bytes} bytes"}}').encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: dict, receive: Callable[[], Awaitable[dict]],
                       send: Callable[[dict], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                if not value.isdigit() or int(value) > self.max_bytes:
                    await self._reject(send)
                    return
        # A streamed (chunked) body is read here, up to the limit, before the app sees it: an
        # exception raised inside the app's own body reading would reach the client as a 400.
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await self._reject(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> dict:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


# --------------------------------------------------------------------------- the app


class _HTTPProblem(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = " ".join(message.split())


def _one_line_validation(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors()[:3]:
        location = [str(p) for p in error.get("loc", ()) if p != "body"]
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        parts.append(f"{'.'.join(location)}: {message}" if location else message)
    return "invalid request body: " + "; ".join(parts) + (
        ' (expected {"domain_userid": "..."} or {"attributes": {...}})'
    )


def create_app(model: ServingModel, settings: ServerSettings | None = None,
               signals_client: Any = None) -> FastAPI:
    """The API over a loaded model. ``signals_client``: an SDK client (default: from the environment)."""
    settings = settings or ServerSettings()
    version = ModelVersion(**model.version)
    state: dict[str, Any] = {"client": signals_client}
    app = FastAPI(
        title="Prospect scoring",
        description="Scores a visitor: will they convert within the model's horizon?",
        version=str(version.trained_at or "unknown"),
    )

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"error": _one_line_validation(exc)})

    @app.exception_handler(ServingError)
    async def _serving_error(request: Request, exc: ServingError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"error": exc.message})

    def signals() -> Any:
        if state["client"] is None:
            missing = missing_credentials()
            if missing:
                raise _HTTPProblem(503, f"Signals is not configured on this server (missing "
                                        f"{', '.join(missing)}); send attributes instead of domain_userid")
            try:
                state["client"] = signals_client_from_env()
            except ExportError as exc:
                raise _HTTPProblem(503, exc.message) from exc
        return state["client"]

    @app.exception_handler(_HTTPProblem)
    async def _problem(request: Request, exc: _HTTPProblem) -> JSONResponse:
        return JSONResponse(status_code=exc.status, content={"error": exc.message})

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return JSONResponse(status_code=500, content={"error": f"internal error: {type(exc).__name__}"})

    def read_attributes(domain_userid: str) -> dict[str, Any]:
        client = signals()
        try:
            return dict(client.get_service_attributes(
                name=settings.signals_service, attribute_key=ATTRIBUTE_KEY, identifier=domain_userid,
            ))
        except Exception as exc:  # SDK: SignalsAPIError, httpx errors, response validation
            raise _HTTPProblem(502, f"reading the attributes of {domain_userid!r} from Signals service "
                                    f"{settings.signals_service!r} failed: {type(exc).__name__}: "
                                    f"{' '.join(str(exc).split())[:300]}") from exc

    responses = {422: {"model": ErrorResponse}, 413: {"model": ErrorResponse},
                 502: {"model": ErrorResponse}, 503: {"model": ErrorResponse}}

    @app.post("/predict", response_model=PredictResponse, responses=responses)  # type: ignore[arg-type]
    async def predict(body: PredictRequest) -> dict[str, Any]:
        if body.domain_userid is not None:
            attributes = await run_in_threadpool(read_attributes, body.domain_userid)
            source = "signals"
        else:
            attributes = body.attributes or {}
            source = "attributes"
        # The caller's own names must include a feature; Signals' answer for a visitor it has not
        # seen carries only the entity key, and that visitor gets the defaults.
        result = model.score(attributes, require_known=source == "attributes", from_signals=source == "signals")
        return {
            "score": result.score, "threshold": result.threshold, "is_prospect": result.is_prospect,
            "model": version, "inputs": result.inputs, "defaulted": result.defaulted,
            "ignored": result.ignored, "source": source, "domain_userid": body.domain_userid,
        }

    @app.get("/health", response_model=HealthResponse)
    async def health() -> dict[str, Any]:
        return {
            "status": "ok", "model": version, "features": model.features, "threshold": model.threshold,
            "signals_configured": state["client"] is not None or not missing_credentials(),
            "signals_service": settings.signals_service,
        }

    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    return app


def app_from_env() -> FastAPI:
    """The app configured from the environment (uvicorn factory: ``prospect_model.server:app_from_env``)."""
    model = ServingModel.load(os.environ.get(MODEL_DIR_ENV) or DEFAULT_MODEL_DIR)
    return create_app(model, ServerSettings.from_env())


# --------------------------------------------------------------------------- prospect-serve


def _port(text: str) -> int:
    value = positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 1 to 65535, not {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``prospect-serve`` (``--help`` documents every option)."""
    parser = OneLineParser(
        prog="prospect-serve",
        description=(
            "Serve the prospect-scoring model over HTTP (uvicorn): POST /predict with "
            '{"domain_userid": ...} (attributes read from Snowplow Signals) or {"attributes": {...}}, '
            "GET /health. Signals credentials come from the environment (SNOWPLOW_SIGNALS_API_URL, "
            "SNOWPLOW_SIGNALS_API_KEY, SNOWPLOW_SIGNALS_API_KEY_ID, SNOWPLOW_SIGNALS_ORG_ID)."
        ),
        epilog="Exit status: 2 for bad options or an unusable model folder (one 'error:' line).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1).")
    parser.add_argument("--port", default=8000, type=_port, help="port to listen on, 1 to 65535 (default: 8000).")
    parser.add_argument("--model-dir", default=None, metavar="DIR",
                        help="folder with model.joblib and metadata.json "
                             f"(default: ${MODEL_DIR_ENV}, else {DEFAULT_MODEL_DIR}).")
    parser.add_argument("--workers", default=1, type=positive_int,
                        help="worker processes (default: 1; each loads the model once).")
    parser.add_argument("--signals-service", default=None, metavar="NAME",
                        help="Signals service to read attributes from "
                             f"(default: ${SERVICE_ENV}, else {DEFAULT_SERVICE_NAME}).")
    parser.add_argument("--max-body-bytes", default=None, type=positive_int, metavar="N",
                        help=f"largest request body accepted, larger gets 413 (default: {DEFAULT_MAX_BODY_BYTES}).")
    parser.add_argument("--log-level", default="warning",
                        choices=["critical", "error", "warning", "info", "debug"],
                        help="uvicorn log level (default: warning; info logs every request).")
    return parser


def _cannot_listen(host: str, port: int) -> str | None:
    """Why uvicorn could not bind ``host:port`` (a port in use, an unknown host), or None.

    Checked before uvicorn starts, so that the user gets one line and exit 2 instead of
    uvicorn's log and exit 3. Binds as asyncio's server does (every address the host
    resolves to, IPv6 sockets IPv6-only, an address the machine lacks skipped, SO_REUSEADDR),
    then releases them.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError) as exc:
        return f"unknown host ({exc})"
    probes: list[socket.socket] = []
    try:
        for family, kind, protocol, _, address in dict.fromkeys(infos):
            probe = socket.socket(family, kind, protocol)
            probes.append(probe)
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6 and hasattr(socket, "IPPROTO_IPV6"):
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as exc:
                if exc.errno == errno.EADDRNOTAVAIL:
                    continue
                if exc.errno == errno.EADDRINUSE:
                    return "the port is in use (another prospect-serve?); choose another with --port"
                return exc.strerror or str(exc)
    finally:
        for probe in probes:
            probe.close()
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``prospect-serve``."""
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        print(f"error: {exc} (see prospect-serve --help)", file=sys.stderr)
        return EXIT_BAD_INPUT
    model_dir = args.model_dir or os.environ.get(MODEL_DIR_ENV) or DEFAULT_MODEL_DIR
    os.environ[MODEL_DIR_ENV] = os.path.abspath(model_dir)
    if args.signals_service:
        os.environ[SERVICE_ENV] = args.signals_service
    if args.max_body_bytes:
        os.environ[MAX_BODY_ENV] = str(args.max_body_bytes)
    try:  # fail here, in one line, rather than in every worker
        ServingModel.load(os.environ[MODEL_DIR_ENV])
        ServerSettings.from_env()
    except ServingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    problem = _cannot_listen(args.host, args.port)
    if problem:
        print(f"error: cannot listen on {args.host}:{args.port}: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    import uvicorn

    uvicorn.run(
        "prospect_model.server:app_from_env", factory=True, host=args.host, port=args.port,
        workers=args.workers, log_level=args.log_level, access_log=args.log_level in ("info", "debug"),
    )
    return EXIT_OK


def entry() -> None:
    """Console script ``prospect-serve``."""
    sys.exit(main())


if __name__ == "__main__":
    sys.exit(main())
