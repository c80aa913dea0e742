"""The one source of the current time, so tests can move it (expiry, retention) or stop it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

_offset = timedelta(0)
_frozen: datetime | None = None


def utcnow() -> datetime:
    """Timezone-naive UTC, the form every timestamp column stores."""
    now = _frozen if _frozen is not None else datetime.now(UTC).replace(tzinfo=None)
    return now + _offset


def travel(delta: timedelta) -> None:
    """Move the clock forward (or back) for tests."""
    global _offset
    _offset += delta


def freeze(at: datetime) -> None:
    """Stop the clock at ``at`` (naive UTC) for tests that name exact times; ``travel``
    still moves it from there."""
    global _frozen, _offset
    _frozen, _offset = at, timedelta(0)


def reset() -> None:
    global _offset, _frozen
    _offset, _frozen = timedelta(0), None
