"""CSV files that people open in spreadsheet programs: the centre's clearance matrix, the
trainer's item analysis."""

from __future__ import annotations

from flask import Response

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: str) -> str:
    """Spreadsheets run a cell starting with = + - @ as a formula: make it plain text."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def csv_download(text: str, filename: str) -> Response:
    """The CSV text as a download that no cache keeps."""
    # The byte order mark lets spreadsheet programs read names with accents correctly.
    response = Response("\ufeff" + text, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
