"""Rate limits per client address (Flask-Limiter), with the limits read from the config.

The limiter is created unbound here and attached in ``create_app``. Every limit is a
config key (``ACADEMY_LIMIT_*``) read at request time, so an installation can tune them
and tests can set them small; ``RATELIMIT_ENABLED = False`` turns them all off.

Requests are counted per client address. Behind a reverse proxy every request seems to
come from the proxy unless ``ACADEMY_PROXY_FIX`` says how many proxies to trust (see
``create_app``); the counters live in memory (``SweepingMemoryStorage``), or in Redis
when ``REDIS_URL`` is set, so that several worker processes share them.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping

from flask import Flask, Response, current_app
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address
from limits import parse_many
from limits.storage import MemoryStorage

from academy.core.config import LIMIT_KEYS


def _retry_after(request_limit: RequestLimit) -> Response:
    """Tell the client when to try again.

    The response only carries the header to the error handler (academy/core/errors.py),
    which renders the usual 429 page or JSON and copies ``Retry-After`` from it. Flask-
    Limiter's own headers stay off: they would add ``Retry-After`` to every response.
    """
    response = Response(status=429)
    seconds = math.ceil(request_limit.reset_at - time.time())
    response.headers["Retry-After"] = str(max(1, seconds))
    return response


class SweepingMemoryStorage(MemoryStorage):
    """The counters in process memory (one server without Redis), swept once a second.

    limits' ``MemoryStorage`` walks every key to drop expired entries 10 ms after each
    hit. With thousands of client addresses in the last hour that walk costs most of a
    core and slows every request. Each hit checks the timestamps of its own key anyway,
    so the walk only frees memory: once a second is plenty.
    """

    STORAGE_SCHEME = ["academy-memory"]
    SWEEP_SECONDS = 1.0

    # The base class schedules its sweep through this (name-mangled) method; a test
    # checks that it still does, so a change in limits cannot go unnoticed.
    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802
        if not self.timer.is_alive():
            self.timer = threading.Timer(self.SWEEP_SECONDS, self._MemoryStorage__expire_events)
            self.timer.daemon = True
            self.timer.start()


limiter = Limiter(key_func=get_remote_address, on_breach=_retry_after)


def init_limiter(app: Flask) -> None:
    """Attach the limiter; a mistyped limit fails here, at start, not on a request."""
    for key in LIMIT_KEYS:
        try:
            parse_many(app.config[key])
        except ValueError as error:
            raise ValueError(f"{key}: {error}") from error
    limiter.init_app(app)


def unshared_counters_problem(config: Mapping, workers: int) -> str | None:
    """Why ``workers`` processes must not serve with this config, or None if they may.

    Counters in memory belong to one process: with four workers, four times the sign-in
    attempts would get through. ``academy serve`` refuses to start like that."""
    in_memory = config.get("RATELIMIT_STORAGE_URI", "").startswith("academy-memory:")
    if workers <= 1 or not config.get("RATELIMIT_ENABLED") or not in_memory:
        return None
    return (
        f"{workers} workers would each count the rate limits on their own, so {workers} "
        "times the sign-in attempts would get through. Set REDIS_URL (for example "
        "REDIS_URL=redis://127.0.0.1:6379/0) to share the counters, or run one worker "
        "(--workers 1 or ACADEMY_WORKERS=1)."
    )


def configured(key: str) -> Callable[[], str]:
    """A limit provider that reads ``key`` from the app config on each request."""

    def provider() -> str:
        return current_app.config[key]

    provider.__name__ = f"limit_from_{key.lower()}"
    return provider


# Decorators for the views. Only POST counts where a page also has a harmless GET form.
sign_in_limit = limiter.limit(configured("ACADEMY_LIMIT_SIGN_IN"), methods=["POST"])
sign_in_code_limit = limiter.limit(configured("ACADEMY_LIMIT_SIGN_IN_CODE"), methods=["POST"])
registration_limit = limiter.limit(configured("ACADEMY_LIMIT_REGISTER"), methods=["POST"])
# Opening a reset link counts too: the page says whether a link works.
reset_link_limit = limiter.limit(configured("ACADEMY_LIMIT_RESET_LINK"))
# Password and two-factor changes share one budget: each checks the password or a code,
# so without a limit they would be a way around the sign-in limit.
account_change_limit = limiter.shared_limit(
    configured("ACADEMY_LIMIT_ACCOUNT_CHANGE"), scope="account-change", methods=["POST"]
)


def verification_limit(
    token_limit_applies: Callable[[], bool] | None = None,
) -> Callable:
    """The shared budget of the verification page and API, so codes cannot be guessed
    by alternating between them. ``token_limit_applies`` may grant a caller with a valid
    API token the higher ``ACADEMY_LIMIT_API_TOKEN``."""

    def provider() -> str:
        if token_limit_applies is not None and token_limit_applies():
            return current_app.config["ACADEMY_LIMIT_API_TOKEN"]
        return current_app.config["ACADEMY_LIMIT_VERIFY"]

    return limiter.shared_limit(provider, scope="verify")
