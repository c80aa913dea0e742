"""Dates as every page shows them.

Records: ``2026-03-01``, or with the time ``2026-03-01 14:05`` (UTC, as stored), through the
``date`` filter: ``{{ x|date }}``, ``{{ x|date(with_time=True) }}``.

Moments a trainee must act on (when a quiz opens again) are shown in the trainees' time
zone, ``ACADEMY_TIME_ZONE`` (default Europe/Berlin), with the zone named and the exact
moment in a ``<time>`` element: ``{{ x|local_time }}``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask, current_app
from markupsafe import Markup

from academy.core.clock import utcnow

EXTENSION_KEY = "academy.time_zone"


def format_date(value: date | datetime, with_time: bool = False) -> str:
    day = value.date() if isinstance(value, datetime) else value
    if with_time and isinstance(value, datetime):
        return f"{day.isoformat()} {value:%H:%M}"
    return day.isoformat()


def time_zone() -> ZoneInfo:
    return current_app.extensions[EXTENSION_KEY]


def local(value: datetime) -> datetime:
    """A stored moment (naive UTC) in the trainees' time zone, rounded up to the minute:
    a page that says "opens at 10:15" must not mean 10:14:30."""
    rounded = value.replace(second=0, microsecond=0)
    if rounded != value:
        rounded += timedelta(minutes=1)
    return rounded.replace(tzinfo=UTC).astimezone(time_zone())


def local_today() -> date:
    """Today's date in the trainees' time zone: what a person on site calls "today" (in
    Berlin, the UTC date lags an hour or two behind after midnight)."""
    return utcnow().replace(tzinfo=UTC).astimezone(time_zone()).date()


def _zone_label() -> str:
    """ "Berlin time" for Europe/Berlin, "New York time" for America/New_York."""
    return f"{time_zone().key.rsplit('/', 1)[-1].replace('_', ' ')} time"


def _spoken(moment: datetime) -> str:
    # %A and %B are English: the app never changes the C locale.
    return f"{moment:%A} {moment.day} {moment:%B} {moment.year} at {moment:%H:%M}"


def local_text(value: datetime) -> str:
    """ "Tuesday 3 March 2026 at 10:15 (Berlin time)": for messages in plain text."""
    return f"{_spoken(local(value))} ({_zone_label()})"


def local_time(value: datetime) -> Markup:
    """The same as ``local_text``, the moment in a ``<time>`` element with its offset."""
    moment = local(value)
    return Markup('<time datetime="{}">{}</time> ({})').format(
        moment.isoformat(timespec="minutes"), _spoken(moment), _zone_label()
    )


def init_dates(app: Flask) -> None:
    """The filters; an unknown ``ACADEMY_TIME_ZONE`` stops the app at start."""
    name = app.config["ACADEMY_TIME_ZONE"]
    try:
        app.extensions[EXTENSION_KEY] = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(
            f"ACADEMY_TIME_ZONE must be a time zone name such as Europe/Berlin, not {name!r}"
        ) from error
    app.add_template_filter(format_date, "date")
    app.add_template_filter(local_time, "local_time")
