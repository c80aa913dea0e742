"""Hostile values are refused at the door, once for every route (docs/security.md,
"Hostile input").

* **NUL bytes.** PostgreSQL cannot store a NUL character in text and raises instead, so
  a NUL anywhere in the path, the query string or a form (names and values) is answered
  with 400 and a message that says what is wrong, before any view or database sees it.
  No person types one; nothing is stored.
* **Ids in URLs.** ``<id:name>`` accepts only what a database id can be, 1 to 2^31 - 1
  (PostgreSQL's ``integer``); any other number is no match, so a 404 like any unknown
  id, instead of an error from the database.
"""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.routing import IntegerConverter

from academy.core.errors import render_error

MAX_DATABASE_ID = 2**31 - 1  # the largest value of an SQL integer column

NUL_MESSAGE = (
    "What you sent contains a NUL character (\\0), which no name, code or text may "
    "contain. Nothing was saved; please remove it and try again."
)


def numbers_up_to(maximum: int) -> str:
    """A regular expression for the decimal numbers 1 to ``maximum``, without leading
    zeros: fewer digits, or as many with a smaller digit after a common beginning."""
    digits = str(maximum)
    alternatives = [rf"[1-9]\d{{0,{len(digits) - 2}}}"] if len(digits) > 1 else []
    for position, digit in enumerate(digits):
        lowest = 1 if position == 0 else 0
        if int(digit) > lowest:
            rest = len(digits) - position - 1
            alternatives.append(rf"{digits[:position]}[{lowest}-{int(digit) - 1}]\d{{{rest}}}")
    return "|".join([*alternatives, digits])


class DatabaseIdConverter(IntegerConverter):
    """``<id:task_id>``: a positive integer that fits a database id column.

    The range is in the regular expression, not in ``to_python``: Werkzeug answers a
    value that ``to_python`` refuses with 405 when the path has a route for another
    method (``/quiz/attempts/<id>`` has GET and POST), and it must be 404.
    """

    regex = numbers_up_to(MAX_DATABASE_ID)


FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def request_has_nul() -> bool:
    """True if the path, the query string or the form (names or values) holds a NUL.

    The query string is parsed only if its raw bytes could hold one (a NUL arrives as
    ``%00``), and the form only if the request sends one: the check runs before every
    request, and parsing both for every page cost more than the rest of the check."""
    if "\x00" in request.path:
        return True
    query = request.query_string
    fields = [request.args] if b"%00" in query or b"\x00" in query else []
    if request.mimetype in FORM_TYPES:
        fields.append(request.form)
    return any(
        "\x00" in name or "\x00" in value
        for values in fields
        for name, value in values.items(multi=True)
    )


def refuse_nul_bytes() -> Response | None:
    if request_has_nul():
        return render_error(400, NUL_MESSAGE)
    return None


def init_input_checks(app: Flask) -> None:
    """Call before the other extensions: the NUL check then runs before their request
    hooks (CSRF, sessions, rate limits), and the converter exists before any route."""
    app.url_map.converters["id"] = DatabaseIdConverter
    app.before_request(refuse_nul_bytes)
