"""Safety: the quick exit's destination and what leaving does to the session."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app

from academy.core.config import DEFAULT_EXIT_URL
from academy.modules.accounts import services as accounts
from academy.modules.accounts.models import User

# Sent with the quick exit's redirect: the browser forgets this site's cookies, storage
# and cached pages (browsers honour it on HTTPS and on localhost only).
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


def exit_url() -> str:
    """The neutral page the quick exit opens: ``ACADEMY_EXIT_URL`` if it is a plain
    http(s) address, else the harmless default — never a ``javascript:`` or relative URL."""
    configured = (current_app.config.get("ACADEMY_EXIT_URL") or "").strip()
    parts = urlsplit(configured)
    if (
        parts.scheme in ("http", "https")
        and parts.netloc
        and not any(c in configured for c in '"<> ')
    ):
        return configured
    return DEFAULT_EXIT_URL


def end_sessions(user: User) -> None:
    """Sign this user out everywhere: a session cookie copied before leaving stops working."""
    accounts.end_all_sessions(user)
