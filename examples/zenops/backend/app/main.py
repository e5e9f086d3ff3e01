"""ZenOps example backend: a small FastAPI app shaped like the seed's (payroll, support, documents, auth).

It serves /openapi.json, /metrics (per-route request counts and latency, labelled with the route
template), /healthz and /healthz/deps, and logs ERROR lines with tracebacks and request ids, so the
extension's contract, health, logs and traffic features have something real to read.

Run: /usr/bin/python3 -m app.main --port 8000   (from examples/zenops/backend)
"""
from __future__ import annotations

import argparse
import logging
import os
import shutil
import sqlite3
import tempfile
import time
import traceback
import uuid
from typing import List, Optional

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from pydantic import BaseModel
from starlette.routing import Match

LOG_FORMAT = "%(asctime)s %(levelname)s [%(name)s] request_id=%(request_id)s %(message)s"


class RequestIdFilter(logging.Filter):
    """Every record carries a request id, '-' outside a request."""

    current = "-"

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = getattr(record, "request_id", RequestIdFilter.current)
        return True


logger = logging.getLogger("app")

registry = CollectorRegistry()
REQUESTS = Counter(
    "http_requests_total", "HTTP requests by route template", ["method", "handler", "status"], registry=registry
)
LATENCY = Histogram(
    "http_request_duration_seconds", "HTTP request latency by route template", ["method", "handler"], registry=registry
)
EXCEPTIONS = Counter("http_exceptions_total", "Unhandled exceptions", ["handler", "exception"], registry=registry)

app = FastAPI(title="ZenOps API", version="1.4.0")


def route_template(request: Request) -> str:
    """The route's path template (`/api/payroll/payslips/{payslip_id}`), so metrics stay low-cardinality."""
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match == Match.FULL:
            return getattr(route, "path", "unmatched")
    return "unmatched"


@app.middleware("http")
async def observe(request: Request, call_next):
    request_id = request.headers.get("x-request-id") or uuid.uuid4().hex[:16]
    RequestIdFilter.current = request_id
    handler = route_template(request)
    started = time.perf_counter()
    try:
        response = await call_next(request)
    except Exception as exc:  # noqa: BLE001 - logged with its traceback, answered as a 500
        EXCEPTIONS.labels(handler, type(exc).__name__).inc()
        # chain=False: the app's own frames, not the middleware's anyio plumbing around them.
        trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, chain=False)).rstrip()
        logger.error("unhandled error on %s %s\n%s", request.method, request.url.path, trace)
        response = JSONResponse({"detail": "Internal Server Error", "request_id": request_id}, status_code=500)
    elapsed = time.perf_counter() - started
    if handler != "/metrics":
        REQUESTS.labels(request.method, handler, str(response.status_code)).inc()
        LATENCY.labels(request.method, handler).observe(elapsed)
    response.headers["X-Request-Id"] = request_id
    if response.status_code >= 500:
        logger.error("%s %s -> %d", request.method, request.url.path, response.status_code)
    RequestIdFilter.current = "-"
    return response


# --- models -----------------------------------------------------------------------------------------


class Payslip(BaseModel):
    id: int
    employee: str
    period: str
    net: float


class PayrollRun(BaseModel):
    id: int
    period: str
    status: str


class Thread(BaseModel):
    id: int
    subject: str
    status: str


class Message(BaseModel):
    body: str


class Document(BaseModel):
    id: int
    title: str


class Comment(BaseModel):
    body: str


class Credentials(BaseModel):
    username: str
    password: str


PAYSLIPS = [Payslip(id=1, employee="ada", period="2026-11", net=4200.0)]
RUNS = {1: PayrollRun(id=1, period="2026-11", status="open")}
THREADS = {1: Thread(id=1, subject="Cannot download payslip", status="open")}
DOCUMENTS = {1: Document(id=1, title="Handbook")}


def not_implemented(what: str) -> JSONResponse:
    return JSONResponse({"detail": f"{what} is not implemented yet"}, status_code=501)


# --- auth -------------------------------------------------------------------------------------------

auth = APIRouter(prefix="/api/auth", tags=["auth"])


@auth.post("/login")
def login(credentials: Credentials) -> dict:
    if credentials.password != "letmein":
        raise HTTPException(status_code=401, detail="bad credentials")
    return {"token": "example-token"}


@auth.post("/logout", status_code=204)
def logout() -> Response:
    return Response(status_code=204)


@auth.get("/me")
def me() -> dict:
    return {"username": "ada", "roles": ["payroll"]}


# --- payroll ----------------------------------------------------------------------------------------

payroll = APIRouter(prefix="/api/payroll", tags=["payroll"])


@payroll.get("/payslips", response_model=List[Payslip], summary="List payslips")
def list_payslips(page: int = 1) -> List[Payslip]:
    return PAYSLIPS


@payroll.get("/payslips/my", response_model=List[Payslip], summary="The signed-in user's payslips")
def my_payslips() -> List[Payslip]:
    return PAYSLIPS


@payroll.get("/payslips/{payslip_id}", response_model=Payslip, summary="Get a payslip")
def get_payslip(payslip_id: int) -> Payslip:
    for slip in PAYSLIPS:
        if slip.id == payslip_id:
            return slip
    raise HTTPException(status_code=404, detail="payslip not found")


@payroll.get("/payslips/{payslip_id}/download", summary="Download a payslip as PDF")
def download_payslip(payslip_id: int):
    return not_implemented("PDF download")


@payroll.post("/payslips/{payslip_id}/generate", summary="Generate a payslip PDF")
def generate_payslip(payslip_id: int):
    return not_implemented("PDF generation")


@payroll.get("/runs", response_model=List[PayrollRun], summary="List payroll runs")
def list_runs() -> List[PayrollRun]:
    return list(RUNS.values())


@payroll.post("/runs", response_model=PayrollRun, status_code=201, summary="Start a payroll run")
def create_run(run: PayrollRun) -> PayrollRun:
    RUNS[run.id] = run
    return run


@payroll.get("/runs/{run_id}", response_model=PayrollRun, summary="Get a payroll run")
def get_run(run_id: int) -> PayrollRun:
    # Run 0 divides by zero on purpose: the example's source of real tracebacks in the logs.
    share = 100 // run_id
    run = RUNS.get(run_id)
    if run is None or share < 0:
        raise HTTPException(status_code=404, detail="run not found")
    return run


@payroll.post("/runs/{run_id}/close", response_model=PayrollRun, summary="Close a payroll run")
def close_run(run_id: int) -> PayrollRun:
    run = RUNS.get(run_id)
    if run is None:
        raise HTTPException(status_code=404, detail="run not found")
    run.status = "closed"
    return run


@payroll.get("/runs/{run_id}/export/{export_type}", summary="Export a payroll run")
def export_run(run_id: int, export_type: str):
    return not_implemented("payroll export")


# --- support ----------------------------------------------------------------------------------------

support = APIRouter(prefix="/api/support", tags=["support"])


@support.get("/public/config", summary="Public support widget configuration")
def public_config() -> dict:
    return {"enabled": True, "hours": "9-17"}


@support.get("/threads", response_model=List[Thread], summary="List support threads")
def list_threads(status: Optional[str] = None) -> List[Thread]:
    return [t for t in THREADS.values() if status is None or t.status == status]


@support.post("/threads", response_model=Thread, status_code=201, summary="Open a support thread")
def create_thread(thread: Thread) -> Thread:
    THREADS[thread.id] = thread
    return thread


@support.get("/threads/{thread_id}", response_model=Thread, summary="Get a support thread")
def get_thread(thread_id: int) -> Thread:
    if thread_id not in THREADS:
        raise HTTPException(status_code=404, detail="thread not found")
    return THREADS[thread_id]


@support.post("/threads/{thread_id}/close", response_model=Thread, summary="Close a support thread")
def close_thread(thread_id: int) -> Thread:
    thread = get_thread(thread_id)
    thread.status = "closed"
    return thread


@support.post("/threads/{thread_id}/messages", status_code=201, summary="Post a message to a thread")
def post_message(thread_id: int, message: Message) -> dict:
    get_thread(thread_id)
    return {"thread_id": thread_id, "body": message.body}


@support.delete("/tokens/{token_id}", status_code=204, deprecated=True, summary="Revoke a token (use POST …/revoke)")
def delete_token(token_id: str) -> Response:
    return Response(status_code=204)


@support.post("/tokens/{token_id}/revoke", status_code=204, summary="Revoke a support token")
def revoke_token(token_id: str) -> Response:
    return Response(status_code=204)


# --- documents --------------------------------------------------------------------------------------

documents = APIRouter(prefix="/api/documents", tags=["documents"])


@documents.get("/", response_model=List[Document], summary="List documents")
def list_documents() -> List[Document]:
    return list(DOCUMENTS.values())


@documents.post("/", response_model=Document, status_code=201, summary="Upload a document")
def create_document(document: Document) -> Document:
    DOCUMENTS[document.id] = document
    return document


@documents.get("/{document_id}", response_model=Document, summary="Get a document")
def get_document(document_id: int) -> Document:
    if document_id not in DOCUMENTS:
        raise HTTPException(status_code=404, detail="document not found")
    return DOCUMENTS[document_id]


@documents.delete("/{document_id}", status_code=204, summary="Delete a document")
def delete_document(document_id: int) -> Response:
    DOCUMENTS.pop(document_id, None)
    return Response(status_code=204)


@documents.get("/{document_id}/comments", response_model=List[Comment], summary="List comments")
def list_comments(document_id: int) -> List[Comment]:
    return []


@documents.post("/{document_id}/comments", response_model=Comment, status_code=201, summary="Add a comment")
def add_comment(document_id: int, comment: Comment) -> Comment:
    return comment


@documents.get("/files/{filename}", summary="Download a stored file")
def get_file(filename: str):
    return PlainTextResponse(f"contents of {filename}")


# --- reports ----------------------------------------------------------------------------------------

reports = APIRouter(prefix="/api/reports", tags=["reports"])


@reports.get("/tactical", summary="Tactical report")
def tactical_report() -> dict:
    return {"kind": "tactical"}


@reports.get("/strategic", summary="Strategic report")
def strategic_report() -> dict:
    return {"kind": "strategic"}


for router in (auth, payroll, support, documents, reports):
    app.include_router(router)


# --- operations endpoints (hidden from the spec, as in the seed) ------------------------------------

DATA_DIR = os.environ.get("ZENOPS_EXAMPLE_DATA", os.path.join(tempfile.gettempdir(), "zenops-example"))

# Opt-in (off by default): answers and logs secrets the way a misconfigured service does, so tests can check that
# ZenOps never copies them into a diagnostics bundle.
LEAKY = os.environ.get("ZENOPS_EXAMPLE_LEAKY", "") == "1"
LEAKED_API_KEY = "zk-leaky-api-key-7731"
LEAKED_TOKEN = "leaky-token-5521"
LEAKED_BEARER = "leaky.bearer.9903"


def leak_secrets(body: dict) -> None:
    body["checks"]["database"]["dsn"] = "postgres://u:p@db/x"
    body["cache"] = {"url": "redis://:pw@redis:6379/0"}
    body["api_key"] = LEAKED_API_KEY
    logger.warning(
        "dependency probe called the billing upstream with token=%s and headers {'Authorization': 'Bearer %s'}",
        LEAKED_TOKEN,
        LEAKED_BEARER,
    )


@app.get("/healthz", include_in_schema=False)
def healthz() -> dict:
    return {"status": "ok", "version": app.version}


@app.get("/healthz/deps", include_in_schema=False)
def healthz_deps() -> JSONResponse:
    """Checks the database, the disk and the uploads folder; 503 when any fails."""
    checks = {}
    failing = set(filter(None, os.environ.get("ZENOPS_EXAMPLE_FAIL_DEPS", "").split(",")))
    os.makedirs(DATA_DIR, exist_ok=True)
    started = time.perf_counter()
    try:
        if "database" in failing:
            raise sqlite3.OperationalError("could not connect to server: Connection refused")
        with sqlite3.connect(os.path.join(DATA_DIR, "example.db")) as db:
            db.execute("select 1").fetchone()
        checks["database"] = {"status": "ok", "latency_ms": round((time.perf_counter() - started) * 1000, 2)}
    except sqlite3.Error as exc:
        checks["database"] = {"status": "error", "error": str(exc)}
    usage = shutil.disk_usage(DATA_DIR)
    disk_ok = "disk" not in failing and usage.free > 100 * 1024 * 1024
    checks["disk"] = {"status": "ok" if disk_ok else "error", "free_bytes": usage.free}
    uploads = os.path.join(DATA_DIR, "uploads")
    os.makedirs(uploads, exist_ok=True)
    uploads_ok = "uploads" not in failing and os.access(uploads, os.W_OK)
    checks["uploads"] = {"status": "ok" if uploads_ok else "error", "path": uploads}
    healthy = all(c["status"] == "ok" for c in checks.values())
    body = {"status": "ok" if healthy else "degraded", "checks": checks}
    if LEAKY:
        leak_secrets(body)
    return JSONResponse(body, status_code=200 if healthy else 503)


@app.get("/metrics", include_in_schema=False)
def metrics() -> Response:
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(RequestIdFilter())
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
