"""The composition root: the HTTP API and the web page. The one lifespan builds everything once
(the agent's pools, checkpointer, model and graph; the webhook receiver's pool); background work
runs in the job engine's workers (agent/worker.py), not here. Routes live beside what they serve
(auth/, agent/, memory/, personas/, crm/), stay thin, and are mounted here under /v1.

Every error answers one JSON shape, {"error": {"code", "message", "details"}, "request_id"};
bad input is a 4xx that says what was wrong, never a 500; a database that cannot be reached in
time (db/pools.py) is a 503 with Retry-After.
"""

import asyncio
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

import psycopg
from fastapi import Depends, FastAPI, Request, Response, status
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pgvector.psycopg import register_vector
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from psycopg_pool import ConnectionPool
from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from agent.automation_routes import router as automations_router
from agent.broadcast_approvals import NotEditable
from agent.broadcast_routes import router as broadcasts_router
from agent.broadcasts import BroadcastDecided
from agent.budget import BudgetExceeded
from agent.gate.queue import supersede_on_fan_message
from agent.graph.fan_context import FanNotFound
from agent.llm.types import LLMError
from agent.offer_routes import router as offers_router
from agent.routes import router as agent_router
from agent.runtime import open_service
from agent.sending import DraftNotFound, DraftNotSendable, InvalidText
from agent.service import ActionNotFound, AlreadyDecided, InvalidEdit
from auth.access import app_pool
from auth.routes import router as auth_router
from crm.conversation import MessageNotFound, NothingToAnswer
from crm.conversation_routes import router as conversation_router
from crm.fans.annotation_routes import router as annotations_router
from crm.fans.routes import router as fans_router
from crm.intelligence.alert_routes import router as alerts_router
from crm.intelligence.inbox_routes import router as inbox_router
from crm.intelligence.segments.routes import router as segments_router
from crm.media_routes import router as media_router
from crm.outbound_guard import OutboundBlocked
from crm.outbound_guard_routes import router as outbound_guard_router
from crm.templates.routes import router as templates_router
from crm.webhooks.openapi import add_event_schemas
from crm.webhooks.routes import MAX_BODY_BYTES as WEBHOOK_MAX_BODY_BYTES
from crm.webhooks.routes import WebhookReceiver
from crm.webhooks.routes import router as webhooks_router
from crm.webhooks.settings import WebhookSettings
from db import connect
from db.connect import DatabaseTarget
from db.pools import UNAVAILABLE, UNAVAILABLE_MESSAGE, sync_pool
from db.versions import VERSIONS_SQL
from memory.routes import MemoryDeps
from memory.routes import router as memory_router
from personas.routes import router as personas_router

VERSION = "0.1.0"
API_PREFIX = "/v1"
DATABASE_RETRY_AFTER_S = 5  # Retry-After of a 503 for an unreachable database
WEB_DIR = Path(__file__).parent / "web"
# The API documentation's assets, vendored under web/vendor/ (its README: versions, licences)
# and served by the /web mount: /docs and /redoc load nothing from a CDN.
DOCS_ASSETS = "/web/vendor"
SWAGGER_JS = f"{DOCS_ASSETS}/swagger-ui/swagger-ui-bundle.js"
SWAGGER_CSS = f"{DOCS_ASSETS}/swagger-ui/swagger-ui.css"
REDOC_JS = f"{DOCS_ASSETS}/redoc/redoc.standalone.js"
# The documentation pages load only from this server (their own inline start-up script and
# styles, ReDoc's search worker): ReDoc's footer logo is never fetched from its CDN.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline';"
    " img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; object-src 'none';"
    " base-uri 'none'"
)
DOCS_FAVICON = f"{DOCS_ASSETS}/swagger-ui/favicon-32x32.png"
log = logging.getLogger("fanagent.http")


class HttpSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FANAGENT_", env_file=".env", extra="ignore")

    max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=WEBHOOK_MAX_BODY_BYTES,
        description="The largest request body, refused with 413 before it is read. At least "
        "the webhook route's own (smaller) limit, which then applies to webhooks.",
    )


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    version: str
    database: Literal["embedded", "external"]
    postgres: str | None
    pgvector: str | None
    detail: str | None = None


class ErrorBody(BaseModel):
    code: str
    message: str
    details: list[dict[str, Any]] = []


class ErrorResponse(BaseModel):
    error: ErrorBody
    request_id: str | None = None


def create_app(target: DatabaseTarget | None = None, **service_options: Any) -> FastAPI:
    """The app; `target` defaults to the configured database (starting the embedded one);
    `service_options` go to agent.runtime.open_service (a chat model, an embedder, a clock)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        resolved = target if target is not None else await asyncio.to_thread(connect.resolve)
        app.state.target = resolved
        settings = WebhookSettings()
        async with (
            open_service(resolved, **service_options) as service,
            _webhook_pool(resolved, settings) as webhook_pool,
        ):
            app.state.service = service
            app.state.app_pool = service.deps.pool
            app.state.memory = MemoryDeps(service.deps.embedder, service.deps.memory)
            app.state.webhooks = WebhookReceiver(webhook_pool, settings, supersede_on_fan_message)
            yield

    app = FastAPI(
        title="fanagent",
        version=VERSION,
        summary="Drafts replies to fans for creators and their chatters.",
        lifespan=lifespan,
        docs_url=None,  # served from local assets by _install_docs
        redoc_url=None,
        responses={
            400: {"model": ErrorResponse},
            401: {"model": ErrorResponse},
            403: {"model": ErrorResponse},
            404: {"model": ErrorResponse},
            409: {"model": ErrorResponse},
            422: {"model": ErrorResponse},
            503: {"model": ErrorResponse},
        },
    )
    metrics = _Metrics()
    _install_errors(app)
    _install_docs(app)

    app.add_middleware(BodyLimit, max_bytes=HttpSettings().max_body_bytes)
    app.add_middleware(RequestContext, metrics=metrics)  # the outermost: it sees the 413s too

    @app.get("/health", response_model=Health, tags=["operations"])
    def health(
        request: Request,
        response: Response,
        pool: Annotated["ConnectionPool[Any]", Depends(app_pool)],
    ) -> Health:
        """Liveness of the service and its database, with the PostgreSQL and pgvector versions."""
        resolved: DatabaseTarget = request.app.state.target
        kind: Literal["embedded", "external"] = "embedded" if resolved.embedded else "external"
        try:
            with pool.connection() as conn:
                row = conn.execute(VERSIONS_SQL).fetchone()
        except Exception as error:  # any failure to reach the database is the answer itself
            response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
            return Health(
                status="unavailable",
                version=VERSION,
                database=kind,
                postgres=None,
                pgvector=None,
                detail=type(error).__name__,
            )
        assert row is not None
        return Health(status="ok", version=VERSION, database=kind, postgres=row[0], pgvector=row[1])

    @app.get("/metrics", tags=["operations"], response_class=Response)
    def prometheus() -> Response:
        """Request counts and latencies, in the Prometheus text format."""
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    routers = (
        auth_router,
        agent_router,
        offers_router,
        automations_router,
        fans_router,
        conversation_router,
        memory_router,
        personas_router,
        webhooks_router,
        inbox_router,
        alerts_router,
        segments_router,
        media_router,
        annotations_router,
        outbound_guard_router,
        templates_router,
        broadcasts_router,
    )
    for router in routers:
        app.include_router(router, prefix=API_PREFIX)

    @app.get("/", include_in_schema=False)
    def web_page() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html")

    app.mount("/web", StaticFiles(directory=WEB_DIR), name="web")
    return app


@asynccontextmanager
async def _webhook_pool(
    target: DatabaseTarget, settings: WebhookSettings
) -> AsyncIterator["ConnectionPool[Any]"]:
    """The webhook route's own pool of the application role, apart from the agent's, so a burst
    of deliveries cannot starve drafting (pgvector's types registered)."""
    pool = sync_pool(
        target.app_url,
        name="webhooks",
        max_size=settings.pool_size,
        kwargs={"autocommit": True},
        configure=register_vector,
    )
    await asyncio.to_thread(pool.open, True, 30)
    try:
        yield pool
    finally:
        await asyncio.to_thread(pool.close)


class RequestContext:
    """Every request's id (X-Request-Id, taken from the client or made), its metrics and its
    JSON log line. Plain ASGI middleware: Starlette's BaseHTTPMiddleware would run every request
    through a task and memory streams of its own, and time a streamed response only to its
    first byte."""

    def __init__(self, app: ASGIApp, metrics: "_Metrics") -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = Headers(scope=scope).get("x-request-id") or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        status_code = 500  # unless a response starts
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = message["status"]
                MutableHeaders(scope=message).append("x-request-id", request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = _route_label(scope)
            self.metrics.observe(scope["method"], route, status_code, elapsed)
            log.info(
                json.dumps(
                    {
                        "request_id": request_id,
                        "method": scope["method"],
                        "route": route,
                        "status": status_code,
                        "ms": round(elapsed * 1000, 1),
                    }
                )
            )


class BodyLimit:
    """Rule: no request body over `max_bytes` is read. A Content-Length over it answers 413 before
    the app sees the request (no routing, no auth); a body without one (chunked) is counted as
    it streams, and the read that passes the limit fails with 413, so nothing of it is parsed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.message = f"the request body is over {max_bytes} bytes"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            request_id = scope.get("state", {}).get("request_id")
            response = _error_response(request_id, 413, HTTP_CODES[413], self.message)
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                raise HTTPException(413, self.message)
            return message

        await self.app(scope, counted, send)


def _route_label(scope: Scope) -> str:
    """The matched route's path template (/v1/fans/{fan_id}), never the concrete path (a label per
    fan id would grow without bound). A router included under API_PREFIX keeps its own path
    without the prefix, so the prefix is put back from the request's path."""
    template = getattr(scope.get("route"), "path", None)
    if template is None:
        return "unmatched"
    path: str = scope["path"]
    label = str(template)
    prefixed = path.startswith(API_PREFIX + "/") and not label.startswith(API_PREFIX)
    return API_PREFIX + label if prefixed else label


class _Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "fanagent_http_requests",
            "HTTP requests by route and status",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "fanagent_http_request_seconds",
            "HTTP request latency by route",
            ["method", "route"],
            registry=self.registry,
        )

    def observe(self, method: str, route: str, status_code: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status_code)).inc()
        self.latency.labels(method, route).observe(seconds)


def _error_response(
    request_id: str | None, status_code: int, code: str, message: str, details: Any = ()
) -> JSONResponse:
    """The one error shape of the API."""
    body = ErrorResponse(
        error=ErrorBody(code=code, message=message, details=list(details)),
        request_id=request_id,
    )
    return JSONResponse(body.model_dump(), status_code=status_code)


def _install_docs(app: FastAPI) -> None:
    """/docs (Swagger UI) and /redoc (ReDoc) from the vendored assets, with no web fonts and no
    online validator; the OpenAPI document with the webhook events' schemas."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = add_event_schemas(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        page = get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - Swagger UI",
            swagger_js_url=root + SWAGGER_JS,
            swagger_css_url=root + SWAGGER_CSS,
            swagger_favicon_url=root + DOCS_FAVICON,
            swagger_ui_parameters={"validatorUrl": None},
        )
        page.headers["Content-Security-Policy"] = DOCS_CSP
        return page

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "").rstrip("/")
        page = get_redoc_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - ReDoc",
            redoc_js_url=root + REDOC_JS,
            redoc_favicon_url=root + DOCS_FAVICON,
            with_google_fonts=False,
        )
        page.headers["Content-Security-Policy"] = DOCS_CSP
        return page


def _install_errors(app: FastAPI) -> None:
    def answer(
        request: Request, status_code: int, code: str, message: str, details: Any = ()
    ) -> JSONResponse:
        request_id = getattr(request.state, "request_id", None)
        return _error_response(request_id, status_code, code, message, details)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        details = [
            {"path": ".".join(str(p) for p in e["loc"]), "message": e["msg"], "type": e["type"]}
            for e in error.errors()
        ]
        return answer(request, 422, "invalid_request", "the request is not valid", details)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        code = HTTP_CODES.get(error.status_code, "error")
        response = answer(request, error.status_code, code, str(error.detail))
        response.headers.update(error.headers or {})
        return response

    domain: dict[type[Exception], tuple[int, str]] = {
        FanNotFound: (404, "not_found"),
        MessageNotFound: (404, "not_found"),
        NothingToAnswer: (409, "nothing_to_answer"),
        DraftNotFound: (404, "not_found"),
        DraftNotSendable: (409, "not_sendable"),
        InvalidText: (422, "invalid_request"),
        BudgetExceeded: (504, "model_timeout"),
        ActionNotFound: (404, "not_found"),
        AlreadyDecided: (409, "already_decided"),
        BroadcastDecided: (409, "already_decided"),
        NotEditable: (422, "invalid_arguments"),
        InvalidEdit: (422, "invalid_arguments"),
        LLMError: (503, "model_unavailable"),
    }
    for kind, (status_code, code) in domain.items():

        async def handler(
            request: Request, error: Exception, status_code: int = status_code, code: str = code
        ) -> JSONResponse:
            return answer(request, status_code, code, str(error))

        app.add_exception_handler(kind, handler)

    @app.exception_handler(OutboundBlocked)
    async def blocked(request: Request, error: OutboundBlocked) -> JSONResponse:
        block = error.block
        details = [{"category": block.category, "reason": block.reason, "matched": block.matched}]
        return answer(request, 422, "blocked_by_outbound_guard", str(error), details)

    @app.exception_handler(psycopg.DataError)
    async def unstorable(request: Request, error: psycopg.DataError) -> JSONResponse:
        # Text PostgreSQL cannot hold (a NUL character): the transaction rolled back.
        return answer(request, 422, "invalid_request", f"the request cannot be stored: {error}")

    @app.exception_handler(psycopg.OperationalError)
    async def unavailable(request: Request, error: psycopg.OperationalError) -> JSONResponse:
        # The database is down, restarting or out of connections (psycopg_pool's PoolTimeout is
        # an OperationalError, and so is what LangGraph's saver raises on a dead connection).
        log.warning(
            "database unavailable: %s", error, extra={"request_id": request.state.request_id}
        )
        response = answer(request, 503, UNAVAILABLE, UNAVAILABLE_MESSAGE)
        response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER_S)
        return response

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"request_id": request.state.request_id})
        return answer(request, 500, "internal_error", "something went wrong on our side")


HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
}

app = create_app()
