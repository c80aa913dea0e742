"""Structured logs: one JSON line per request, and JSON for every other app log line.

A request line says what happened and how long it took, never who asked or about
what: the method, the route *rule* (``/api/v1/certificates/<code>``, not the path,
which can carry a certificate code or a sign-in name), the status and the duration.
No query string, no user id or name, no IP address, no user agent.

``init_request_logging`` adds the hooks (always, so tests see the lines through
pytest's log capture); ``configure_json_logging`` sends the ``academy`` loggers to a
stream as JSON lines, which production (gunicorn, ``academy serve``) does.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from datetime import UTC, datetime
from typing import IO

from flask import Flask, Response, g, request

logger = logging.getLogger("academy.request")

# Methods are a client's free text; anything unusual is logged as one word.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED_ROUTE = "<unmatched>"
_START = "_academy_request_start"
_HANDLER_NAME = "academy-json"
# werkzeug's development server: '127.0.0.1 - - [03/Dec/2026 10:15:02] "GET /verify?code=…'
_DEV_SERVER_REQUEST_LINE = re.compile(r"\S+ - - \[")


def _start_timer() -> None:
    setattr(g, _START, time.perf_counter())


def logged_method() -> str:
    """The request's method as logs name it: from a fixed list, since it is client text."""
    return request.method if request.method in KNOWN_METHODS else "OTHER"


def logged_route() -> str:
    """The route *rule* (``/verify/<code>``), never the path or the query."""
    rule = request.url_rule
    return rule.rule if rule is not None else UNMATCHED_ROUTE


def request_record(status: int, duration_ms: float) -> dict[str, object]:
    """The fields of one request line. Only what the app chose, nothing the client typed
    except a method from a fixed list."""
    return {
        "method": logged_method(),
        "route": logged_route(),
        "status": status,
        "ms": round(duration_ms, 2),
    }


def _log_request(response: Response) -> Response:
    start = g.get(_START)
    duration_ms = (time.perf_counter() - start) * 1000 if start is not None else 0.0
    # "extra" carries the fields to the JSON formatter; the message is for humans.
    record = request_record(response.status_code, duration_ms)
    logger.info(
        "%s %s %s %.2f ms",
        record["method"],
        record["route"],
        record["status"],
        record["ms"],
        extra={"request": record},
    )
    return response


class WithoutDevServerRequestLines(logging.Filter):
    """Drops the development server's (``academy run``) line per request, which holds the
    client's address and the whole path and query; the app logs its own line instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and _DEV_SERVER_REQUEST_LINE.match(record.msg))


def init_request_logging(app: Flask) -> None:
    """One line per request. ``after_request`` also runs for error pages rendered by
    the app's error handlers (404, 429, 500), so failures are logged like the rest."""
    app.before_request(_start_timer)
    app.after_request(_log_request)
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(f, WithoutDevServerRequestLines) for f in werkzeug.filters):
        werkzeug.addFilter(WithoutDevServerRequestLines())


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, and either the request fields or
    the message. Exceptions become their type only: a message or a traceback can
    carry personal data (a sign-in name in a failed query, say)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        fields = getattr(record, "request", None)
        if isinstance(fields, dict):
            line.update(fields)
        else:
            line["msg"] = record.getMessage()
        if record.exc_info and record.exc_info[0] is not None:
            line["exc_type"] = record.exc_info[0].__name__
        return json.dumps(line, ensure_ascii=False, separators=(",", ":"))


def configure_json_logging(stream: IO[str] | None = None, level: int = logging.INFO) -> None:
    """Send the ``academy`` loggers to ``stream`` (standard error) as JSON lines.

    Idempotent: a second call replaces the handler rather than adding one, so an app
    created twice in one process (tests, ``--preload``) does not log every line twice.
    """
    root = logging.getLogger("academy")
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    # Not also through the root logger, whose handlers (if a library added any) would
    # print every line a second time in another format.
    root.propagate = False
