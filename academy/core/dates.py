"""Dates as every page shows them, in the page's language (Babel, academy/core/i18n.py).

Records: in English ``2026-03-01``, or with the time ``2026-03-01 14:05`` (UTC, as stored);
in German ``01.03.2026``, and each other language its own medium form, through the ``date``
filter: ``{{ x|date }}``, ``{{ x|date(with_time=True) }}``. English keeps ISO 8601: its readers
come from many countries, and "3/1/26" means a different day to each of them.

Moments a trainee must act on (when a quiz opens again) are shown in the trainees' time
zone, ``ACADEMY_TIME_ZONE`` (default Europe/Berlin), with the zone named and the exact
moment in a ``<time>`` element: ``{{ x|local_time }}``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import dates as babel_dates
from flask import Flask, current_app
from flask_babel import gettext
from markupsafe import Markup

from academy.core.clock import utcnow
from academy.core.i18n import current_language

EXTENSION_KEY = "academy.time_zone"
# Patterns where a language's own medium form is not wanted (see above); else "medium".
DATE_PATTERNS = {"en": "yyyy-MM-dd"}
TIME_PATTERN = "HH:mm"
# The day a trainee must act on, written out: "Tuesday 3 March 2026" in English.
LONG_DATE_PATTERNS = {"en": "EEEE d MMMM y"}


def format_date(value: date | datetime | str, with_time: bool = False) -> str:
    """A record's date (and time, UTC) in the page's language; an ISO string is read first."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    language = current_language()
    day = value.date() if isinstance(value, datetime) else value
    shown = babel_dates.format_date(day, DATE_PATTERNS.get(language, "medium"), locale=language)
    if with_time and isinstance(value, datetime):
        return f"{shown} {babel_dates.format_time(value.time(), TIME_PATTERN, locale=language)}"
    return shown


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
    return gettext("%(city)s time", city=time_zone().key.rsplit("/", 1)[-1].replace("_", " "))


def _spoken(moment: datetime) -> str:
    """ "Tuesday 3 March 2026 at 10:15", in the page's language (Babel's names)."""
    language = current_language()
    pattern = LONG_DATE_PATTERNS.get(language, "full")
    return gettext(
        "%(day)s at %(time)s",
        day=babel_dates.format_date(moment.date(), pattern, locale=language),
        time=babel_dates.format_time(moment.time(), TIME_PATTERN, locale=language),
    )


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
