"""Signing in as a browser would (form, CSRF token, argon2 check) and what the benchmark
keeps of it: the Session with every account's cookie, the certificate codes and the
lesson it reads."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

import generate
import generate_settings
import generate_users
from run_settings import APP_PORT
from servers import http_request


@dataclass
class Session:
    """What the benchmark knows about the running app: accounts, cookies, data."""

    database_url: str
    cookies: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (cookie, xff)
    codes: list[str] = field(default_factory=list)
    lesson_path: str = ""
    sign_ins: int = 0


ACCOUNTS = generate_users.NamedAccounts(0, 0, 0, 0, ()).usernames


def _cookie(headers: dict[str, str]) -> str | None:
    match = re.search(r"academy_session=([^;]+)", headers.get("set-cookie", ""))
    return match.group(1) if match else None


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    if match is None:
        raise SystemExit("no CSRF token in the page")
    return match.group(1)


def sign_in(session: Session, account: str, username: str) -> tuple[str, str]:
    """A real sign-in (form, CSRF token, argon2 check), from an address of its own:
    each sign-in counts against the sign-in rate limit of its address."""
    session.sign_ins += 1
    xff = f"127.250.{session.sign_ins // 256 % 256}.{session.sign_ins % 256}"
    headers = {"X-Forwarded-For": xff}
    status, got, page = http_request(APP_PORT, "GET", "/sign-in", headers=headers)
    cookie = _cookie(got)
    form = urlencode(
        {
            "csrf_token": csrf_token(page),
            "username": username,
            "password": generate_settings.BENCH_PASSWORD,
        }
    )
    status, got, _ = http_request(
        APP_PORT, "POST", "/sign-in", form, headers | {"Cookie": f"academy_session={cookie}"}
    )
    signed_in = _cookie(got)
    if status != 302 or signed_in is None:
        raise SystemExit(f"signing in as {username} failed ({status})")
    session.cookies[account] = (signed_in, xff)
    # The first page with a form puts the CSRF secret into the session (a new cookie);
    # a browser keeps that cookie, so wrk must send it too.
    get_signed_in(session, account, "/account")
    return session.cookies[account]


def get_signed_in(session: Session, account: str, path: str) -> str:
    cookie, xff = session.cookies[account]
    headers = {"Cookie": f"academy_session={cookie}", "X-Forwarded-For": xff}
    status, got, page = http_request(APP_PORT, "GET", path, headers=headers)
    if status != 200:
        raise SystemExit(f"GET {path} as {account} gave {status}, not 200")
    renewed = _cookie(got)
    if renewed is not None:
        session.cookies[account] = (renewed, xff)
    return page


def prepare_session(database_url: str) -> Session:
    import sqlalchemy as sa

    from academy.core.catalogue import current_catalogue
    from academy.core.extensions import db

    session = Session(database_url)
    app = generate.bench_app(database_url)
    with app.app_context():
        rng = random.Random(7)  # noqa: S311 - a sample of codes, not secrets
        total = db.session.scalar(sa.text("SELECT max(id) FROM certificates"))
        picked = sorted(rng.sample(range(1, total + 1), min(20_000, total)))
        rows = db.session.execute(
            sa.text("SELECT id, code FROM certificates WHERE revoked_at IS NULL")
        )
        wanted = set(picked)
        session.codes = [code for id_, code in rows if id_ in wanted]
        rng.shuffle(session.codes)
        module = current_catalogue().modules[generate_settings.LEARNER_MODULE]
        # a lesson the learner has not studied yet: the page with the "studied" form
        lesson = module.lessons[len(module.lessons) // 2]
        session.lesson_path = f"/modules/{module.slug}/lessons/{lesson.slug}"
        db.engine.dispose()
    # Every account signs in once now, so the cookie file's order is fixed.
    for account, username in ACCOUNTS.items():
        sign_in(session, account, username)
    return session
