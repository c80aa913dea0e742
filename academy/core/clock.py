"""The one source of the current time, so tests can move it (expiry, retention)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_offset = timedelta(0)


def utcnow() -> datetime:
    """Timezone-naive UTC, the form every timestamp column stores."""
    return (datetime.now(UTC) + _offset).replace(tzinfo=None)


def travel(delta: timedelta) -> None:
    """Move the clock forward (or back) for tests."""
    global _offset
    _offset += delta


def reset() -> None:
    global _offset
    _offset = timedelta(0)
