"""Configuration from the environment, with safe defaults for a laptop."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask_babel import lazy_gettext

from academy.core.content.files import DEFAULT_MAX_BYTES

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Quick exit goes here: a harmless, neutral page that reveals nothing about this site.
DEFAULT_EXIT_URL = "https://www.wikipedia.org/"
# Lazy: unless an operator sets their own text, each page shows it in its own language.
DEFAULT_SUPPORT_TEXT = lazy_gettext(
    "Talk to your supervisor or your centre's contact person. "
    "In an emergency, call your local emergency number."
)


def instance_path() -> Path:
    return Path(os.environ.get("ACADEMY_INSTANCE_PATH", PROJECT_ROOT / "instance"))


def load_or_create_secret_key(folder: Path) -> str:
    """Return the key stored in ``folder/secret_key``, creating it on first use.

    The key never lives in the code or the repository; it is made once per installation.
    """
    folder.mkdir(parents=True, exist_ok=True)
    key_file = folder / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from error


# Rate limits ("10 per minute; 50 per hour"); each may be set in the environment too.
LIMIT_KEYS = (
    "ACADEMY_LIMIT_SIGN_IN",
    "ACADEMY_LIMIT_SIGN_IN_CODE",
    "ACADEMY_LIMIT_VERIFY",
    "ACADEMY_LIMIT_API_TOKEN",
    "ACADEMY_LIMIT_REGISTER",
    "ACADEMY_LIMIT_ACCOUNT_CHANGE",
    "ACADEMY_LIMIT_RESET_LINK",
)


def config_from_environment() -> dict:
    """The settings the environment may change; where a variable is unset, the value of
    ``DEFAULTS`` (each default is written once, there)."""
    folder = instance_path()
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'academy.sqlite3'}"
    limits = {key: os.environ[key] for key in LIMIT_KEYS if os.environ.get(key, "").strip()}
    # Unset: None, which is on, except under TESTING, where each app loads its content afresh.
    content_cache = (
        _env_bool("ACADEMY_CONTENT_CACHE", True)
        if os.environ.get("ACADEMY_CONTENT_CACHE", "").strip()
        else None
    )
    return limits | {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or load_or_create_secret_key(folder),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "ACADEMY_CONTENT_DIR": os.environ.get("ACADEMY_CONTENT_DIR", str(PROJECT_ROOT / "content")),
        "ACADEMY_CONTENT_CACHE": content_cache,
        "ACADEMY_CONTENT_MAX_BYTES": _env_int(
            "ACADEMY_CONTENT_MAX_BYTES", DEFAULTS["ACADEMY_CONTENT_MAX_BYTES"]
        ),
        "ACADEMY_INSTANCE_PATH": str(folder),
        # Unset: each link follows the address a request came to (`make run PORT=…`).
        "ACADEMY_BASE_URL": os.environ.get("ACADEMY_BASE_URL") or None,
        "ACADEMY_EXIT_URL": os.environ.get("ACADEMY_EXIT_URL") or DEFAULT_EXIT_URL,
        "ACADEMY_SUPPORT_TEXT": os.environ.get("ACADEMY_SUPPORT_TEXT") or DEFAULT_SUPPORT_TEXT,
        # Secure unless switched off for plain-HTTP development (``make run`` does that).
        "SESSION_COOKIE_SECURE": _env_bool(
            "ACADEMY_SECURE_COOKIES", DEFAULTS["SESSION_COOKIE_SECURE"]
        ),
        "ACADEMY_PROXY_FIX": _env_int("ACADEMY_PROXY_FIX", DEFAULTS["ACADEMY_PROXY_FIX"]),
        "ACADEMY_IDLE_MINUTES": _env_int("ACADEMY_IDLE_MINUTES", DEFAULTS["ACADEMY_IDLE_MINUTES"]),
        "ACADEMY_SESSION_HOURS": _env_int(
            "ACADEMY_SESSION_HOURS", DEFAULTS["ACADEMY_SESSION_HOURS"]
        ),
        "ACADEMY_REQUIRE_ADMIN_2FA": _env_bool(
            "ACADEMY_REQUIRE_ADMIN_2FA", DEFAULTS["ACADEMY_REQUIRE_ADMIN_2FA"]
        ),
        "RATELIMIT_ENABLED": _env_bool("ACADEMY_RATELIMIT_ENABLED", DEFAULTS["RATELIMIT_ENABLED"]),
        # One store for every worker in production; memory is per process.
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or DEFAULTS["RATELIMIT_STORAGE_URI"],
        # Privacy: registration by invitation only unless switched on; retention periods.
        "ACADEMY_OPEN_REGISTRATION": _env_bool(
            "ACADEMY_OPEN_REGISTRATION", DEFAULTS["ACADEMY_OPEN_REGISTRATION"]
        ),
        "ACADEMY_INACTIVE_DAYS": _env_int(
            "ACADEMY_INACTIVE_DAYS", DEFAULTS["ACADEMY_INACTIVE_DAYS"]
        ),
        "ACADEMY_RENEWAL_NOTICE_DAYS": _env_int(
            "ACADEMY_RENEWAL_NOTICE_DAYS", DEFAULTS["ACADEMY_RENEWAL_NOTICE_DAYS"]
        ),
        "ACADEMY_RENEWAL_DAYS": _env_int("ACADEMY_RENEWAL_DAYS", DEFAULTS["ACADEMY_RENEWAL_DAYS"]),
        "ACADEMY_AUDIT_LOG_DAYS": _env_int(
            "ACADEMY_AUDIT_LOG_DAYS", DEFAULTS["ACADEMY_AUDIT_LOG_DAYS"]
        ),
        "ACADEMY_RESET_LINK_HOURS": _env_int(
            "ACADEMY_RESET_LINK_HOURS", DEFAULTS["ACADEMY_RESET_LINK_HOURS"]
        ),
        "ACADEMY_TIME_ZONE": os.environ.get("ACADEMY_TIME_ZONE", "").strip()
        or DEFAULTS["ACADEMY_TIME_ZONE"],
    }


DEFAULTS: dict = {
    # hide_parameters: SQL errors and SQL logging never show values (names, e-mail, codes).
    # No pool_pre_ping: idle connections are pinged instead (academy/core/database.py).
    "SQLALCHEMY_ENGINE_OPTIONS": {"hide_parameters": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "academy_session",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": True,
    # Sessions: signed out after this much inactivity, and this long after sign-in at most
    # (PERMANENT_SESSION_LIFETIME follows the second; see academy/core/sessions.py).
    "ACADEMY_IDLE_MINUTES": 30,
    "ACADEMY_SESSION_HOURS": 12,
    # Number of reverse proxies in front of the app whose X-Forwarded-* headers are trusted.
    "ACADEMY_PROXY_FIX": 0,
    "ACADEMY_REQUIRE_ADMIN_2FA": False,
    # Rate limits per client address ("N per minute; M per hour", see Flask-Limiter).
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "academy-memory://",  # academy/core/limiter.py
    # Privacy (docs/privacy.md): invitation-only registration; inactive accounts are listed
    # for admins after this many days; the verification audit log is pruned after these.
    "ACADEMY_OPEN_REGISTRATION": False,
    "ACADEMY_INACTIVE_DAYS": 365,
    # Trainees are told to renew this many days before a certificate ends.
    "ACADEMY_RENEWAL_NOTICE_DAYS": 60,
    # After a content version with `recertify: true`, holders of earlier versions have
    # this many days to take the refresher before their certificates stop counting.
    "ACADEMY_RENEWAL_DAYS": 90,
    "ACADEMY_AUDIT_LOG_DAYS": 180,
    # A password reset link works once, for this many hours (accounts/recovery.py).
    "ACADEMY_RESET_LINK_HOURS": 72,
    # The trainees' time zone (IANA name): times they must act on, such as when a quiz
    # opens again, are shown in it (academy/core/dates.py); stored times stay UTC.
    "ACADEMY_TIME_ZONE": "Europe/Berlin",
    # Two counters per client and window, weighted by how far the current window has run:
    # a moving window kept an entry per request for the whole hour (memory growing with
    # traffic, each hit copying the list); the estimate is within a request or two.
    "RATELIMIT_STRATEGY": "sliding-window-counter",
    "ACADEMY_LIMIT_SIGN_IN": "10 per minute; 50 per hour",
    "ACADEMY_LIMIT_SIGN_IN_CODE": "10 per minute; 50 per hour",
    "ACADEMY_LIMIT_VERIFY": "30 per minute; 300 per hour",
    "ACADEMY_LIMIT_API_TOKEN": "300 per minute; 5000 per hour",
    "ACADEMY_LIMIT_REGISTER": "5 per minute; 20 per hour",
    "ACADEMY_LIMIT_ACCOUNT_CHANGE": "10 per minute; 50 per hour",
    "ACADEMY_LIMIT_RESET_LINK": "10 per minute; 30 per hour",
    "MAX_CONTENT_LENGTH": 256 * 1024,
    # A content file larger than this is refused unread (academy/core/content/files.py).
    "ACADEMY_CONTENT_MAX_BYTES": DEFAULT_MAX_BYTES,
    # A slow reader on a phone must not lose a quiz to an expired token.
    "WTF_CSRF_TIME_LIMIT": None,
    # argon2id, above OWASP's minimum (m=19 MiB, t=2, p=1)
    "ARGON2_TIME_COST": 3,
    "ARGON2_MEMORY_COST": 64 * 1024,
    "ARGON2_PARALLELISM": 1,
}
