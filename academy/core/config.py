"""Configuration from the environment, with safe defaults for a laptop."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Quick exit goes here: a harmless, neutral page that reveals nothing about this site.
DEFAULT_EXIT_URL = "https://www.wikipedia.org/"
DEFAULT_SUPPORT_TEXT = (
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


def config_from_environment() -> dict:
    folder = instance_path()
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'academy.sqlite3'}"
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or load_or_create_secret_key(folder),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "ACADEMY_CONTENT_DIR": os.environ.get("ACADEMY_CONTENT_DIR", str(PROJECT_ROOT / "content")),
        "ACADEMY_INSTANCE_PATH": str(folder),
        "ACADEMY_BASE_URL": os.environ.get("ACADEMY_BASE_URL") or "http://127.0.0.1:5000",
        "ACADEMY_EXIT_URL": os.environ.get("ACADEMY_EXIT_URL") or DEFAULT_EXIT_URL,
        "ACADEMY_SUPPORT_TEXT": os.environ.get("ACADEMY_SUPPORT_TEXT") or DEFAULT_SUPPORT_TEXT,
        "SESSION_COOKIE_SECURE": _env_bool("ACADEMY_SECURE_COOKIES", False),
    }


DEFAULTS: dict = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "academy_session",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "MAX_CONTENT_LENGTH": 256 * 1024,
    # A slow reader on a phone must not lose a quiz to an expired token.
    "WTF_CSRF_TIME_LIMIT": None,
    # argon2id, above OWASP's minimum (m=19 MiB, t=2, p=1)
    "ARGON2_TIME_COST": 3,
    "ARGON2_MEMORY_COST": 64 * 1024,
    "ARGON2_PARALLELISM": 1,
}
