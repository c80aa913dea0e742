"""Dates as every page shows them: ``2026-03-01``, or with the time ``2026-03-01 14:05``
(UTC, as stored). Templates use the one ``date`` filter: ``{{ x|date }}``,
``{{ x|date(with_time=True) }}``."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask


def format_date(value: date | datetime, with_time: bool = False) -> str:
    day = value.date() if isinstance(value, datetime) else value
    if with_time and isinstance(value, datetime):
        return f"{day.isoformat()} {value:%H:%M}"
    return day.isoformat()


def init_dates(app: Flask) -> None:
    app.add_template_filter(format_date, "date")
