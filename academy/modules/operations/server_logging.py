"""gunicorn's own log without client addresses, paths or queries (docs/privacy.md).

gunicorn writes to its error log what the app never does: for a malformed request,
"Invalid request from ip=<address>: Invalid HTTP request line: '<the request line>'"
(path, query and all), and for a request the app failed to answer, "Error handling request
GET <path>?<query>" with a traceback. This logger class (``logger_class`` in
gunicorn.conf.py) keeps those events, each as one line with the kind of error only, and
writes no access log: the app writes one line per request itself, without them.
"""

from __future__ import annotations

import logging
import re

from gunicorn.glogging import Logger

# "Invalid request from ip=::1: Invalid HTTP Version: 'HTTP/9'" (gunicorn.workers.base)
_INVALID_REQUEST = re.compile(r"Invalid request from ip=.*?: (?P<error>.*)", re.DOTALL)
# gunicorn's own words come first; what the client sent follows, after ':', a quote or '('.
_ERROR_KIND = re.compile(r"[A-Za-z][A-Za-z \-]*")
_FAILED_REQUEST = "Error handling request"


def invalid_request_kind(error: str) -> str:
    """gunicorn's description of a malformed request without the client's text:
    "Invalid HTTP request line: 'GET /x?code=…'" becomes "Invalid HTTP request line"."""
    match = _ERROR_KIND.match(error)
    return match.group(0).strip() if match else "unreadable request"


class PrivateRecords(logging.Filter):
    """Rewrites the records of gunicorn's error log that would name a client or a path."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.msg if isinstance(record.msg, str) else ""
        if invalid := _INVALID_REQUEST.fullmatch(message):
            record.msg, record.args = (
                "invalid request refused: %s",
                (invalid_request_kind(invalid.group("error")),),
            )
        elif message.startswith(_FAILED_REQUEST):
            error = record.exc_info[1] if record.exc_info else None
            record.msg = "error handling a request: %s"
            record.args = (type(error).__name__ if error is not None else "no details",)
            # A traceback can quote the path or a value; the type says what to look for.
            record.exc_info, record.exc_text = None, None
        elif isinstance(record.args, tuple):
            # "Ignored premature client disconnection. No more data after: b'GET /…'"
            record.args = tuple(
                type(arg).__name__ if isinstance(arg, BaseException) else arg for arg in record.args
            )
        return True


class PrivateLogger(Logger):
    """gunicorn's logger with :class:`PrivateRecords` on its error log and no access log."""

    def setup(self, cfg) -> None:  # noqa: ANN001 - gunicorn's Config
        super().setup(cfg)
        if not any(isinstance(f, PrivateRecords) for f in self.error_log.filters):
            self.error_log.addFilter(PrivateRecords())

    def access(self, resp, req, environ, request_time) -> None:  # noqa: ANN001
        """Never: an access line holds the client's address, path, query and user agent;
        the app logs each request by its route instead."""
