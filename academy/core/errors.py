"""Error pages: a clear message, never a traceback. JSON for the API."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

logger = logging.getLogger("academy.errors")

MESSAGES = {
    400: "The request could not be understood. Please check what you entered and try again.",
    401: "Please sign in first.",
    403: "You do not have access to this page.",
    404: "This page does not exist. It may have moved, or the address has a typo.",
    405: "This action is not possible here.",
    413: "What you sent is too large.",
    429: "Too many attempts. Please wait a little and try again.",
    500: "Something went wrong on our side. Nothing you entered has been lost; please try again.",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(status: int, message: str) -> Response:
    """The error page (JSON under /api/) with ``message``."""
    if wants_json():
        response = jsonify(error=message, status=status)
    else:
        response = make_response(
            render_template("errors/error.html", status=status, message=message)
        )
    response.status_code = status
    return response


def handle_http_error(error: HTTPException):
    status = error.code or 500
    message = MESSAGES.get(status, error.description or MESSAGES[500])
    if status in (400, 404) and wants_json() and error.description:
        message = error.description
    response = render_error(status, message)
    # The headers the exception itself carries: `Allow` on a 405, for one.
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    if error.response is not None and "Retry-After" in error.response.headers:
        response.headers["Retry-After"] = error.response.headers["Retry-After"]
    return response


def handle_csrf_error(_error: CSRFError):
    return render_error(
        400,
        "This form had expired or was sent twice. Nothing was saved; please reload the page "
        "and send it again.",
    )


def handle_unexpected_error(error: Exception):
    # Log the type and route only: exception messages can carry personal data.
    logger.error("unhandled %s on %s %s", type(error).__name__, request.method, request.url_rule)
    return render_error(500, MESSAGES[500])


def init_errors(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
