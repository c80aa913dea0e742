"""Errors for people: a service's refusal (``UserError``), and error pages with a clear
message, never a traceback (JSON for the API)."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_babel import gettext, lazy_gettext
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc
from werkzeug.exceptions import HTTPException, InternalServerError

from academy.core.extensions import db, login_manager
from academy.core.logging import logged_method, logged_route

logger = logging.getLogger("academy.errors")


class UserError(ValueError):
    """A request that cannot be carried out; the message is for the person who made it.

    Services raise it (or a subclass that adds meaning the view acts on); views show it
    with ``academy.core.forms.show_error``. ``field`` names the form field the message
    belongs to (``username``, ``email``, ...), if any.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# Lazy: each is translated into the language of the request that shows it.
MESSAGES = {
    400: lazy_gettext(
        "The request could not be understood. Please check what you entered and try again."
    ),
    401: lazy_gettext("Please sign in first."),
    403: lazy_gettext("You do not have access to this page."),
    404: lazy_gettext("This page does not exist. It may have moved, or the address has a typo."),
    405: lazy_gettext("This action is not possible here."),
    413: lazy_gettext("What you sent is too large."),
    429: lazy_gettext("Too many attempts. Please wait a little and try again."),
    500: lazy_gettext(
        "Something went wrong on our side. Nothing you entered has been lost; please try again."
    ),
    503: lazy_gettext(
        "The service is not available for a moment. Nothing you entered has been saved yet; "
        "please try again in a minute."
    ),
}
# The database is restarting, failing over or out of connections: a moment, not a bug.
DATABASE_UNAVAILABLE = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(status: int, message: str) -> Response:
    """The error page (JSON under /api/) with ``message``, in the request's language."""
    message = str(message)
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
        gettext(
            "This form had expired or was sent twice. Nothing was saved; please reload the "
            "page and send it again."
        ),
    )


def describe_request() -> str:
    """The request as a log may name it: the method and the route *rule*, never the path
    or the query, which can hold a certificate code or a sign-in name."""
    return f"{logged_method()} {logged_route()}"


def log_error(error: BaseException) -> None:
    # The type and route only: exception messages and tracebacks can carry personal data.
    logger.error("unhandled %s on %s", type(error).__name__, describe_request())


def _roll_back() -> None:
    """Undo the request's unfinished writes before the error page is rendered; a session
    whose transaction failed refuses every query until then."""
    try:
        db.session.rollback()
    except exc.SQLAlchemyError as error:  # the connection is gone: nothing left to undo
        logger.warning("rollback failed: %s", type(error).__name__)


def handle_unexpected_error(error: Exception):
    log_error(error)
    _roll_back()
    return render_error(500, MESSAGES[500])


def handle_database_unavailable(error: exc.SQLAlchemyError):
    """503 with the app's own page and headers. Every pooled connection of this process is
    dropped (after a database restart they are all dead), and the page is shown as to a
    visitor: asking the database who is signed in would only fail again."""
    logger.error("database unavailable (%s) on %s", type(error).__name__, describe_request())
    _roll_back()
    db.engine.dispose()
    login_manager._update_request_context_with_user()  # anonymous, for this response only
    return render_error(503, MESSAGES[503])


class Academy(Flask):
    """Flask, with unhandled exceptions logged like every other error. Flask's own
    ``log_exception`` writes "Exception on <path> [GET]" and the traceback: the path of
    ``/api/v1/certificates/<code>`` is a certificate code, which the API turns into the
    holder's name. It runs when an error handler itself fails."""

    def log_exception(self, exc_info) -> None:  # noqa: ANN001 - Flask's signature
        log_error(exc_info[1])


def init_errors(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_http_error)
    for error in DATABASE_UNAVAILABLE:
        app.register_error_handler(error, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected_error)
