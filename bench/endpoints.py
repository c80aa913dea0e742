"""The endpoints the benchmark measures, the two references among them, and the request
lines each sends through bench/lua/requests.lua."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import generate_settings
from run_settings import APP_PORT, NGINX_PORT, REFERENCE_PORT, VERIFY_CLIENTS
from sign_in import Session


@dataclass
class Endpoint:
    name: str
    title: str
    port: int
    requests: Callable[[Session], list[str]]  # lines for requests.lua
    signed_in: str | None = None  # the account whose cookie is sent
    xff: str = ""  # BENCH_XFF
    pool: bool = False  # quiz attempts: fresh ones before each measurement


def line(method: str, path: str, cookie: str = "-", address: str = "", body: str = "") -> str:
    """One request for requests.lua (see its header for the fields)."""
    return f"{method}\t{path}\t{cookie}\t{address}\t{body}"


def lines_get(paths: list[str]) -> list[str]:
    return [line("GET", path) for path in paths]


def lines_signed_in(session: Session, account: str, paths: list[str]) -> list[str]:
    index = str(list(session.cookies).index(account))
    address = session.cookies[account][1]
    return [line("GET", path, index, address) for path in paths]


def lines_in_german(session: Session) -> list[str]:
    """The learner's lesson read in German: the same session with the language cookie the
    switcher sets (the bench learner's account has no language of its own)."""
    cookie, address = session.cookies["learner"]
    session.cookies["learner-de"] = (f"{cookie}; language=de", address)
    return lines_signed_in(session, "learner-de", [session.lesson_path])


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, 20, 4))


def endpoints() -> list[Endpoint]:
    def signed(account: str, path: str) -> Callable[[Session], list[str]]:
        return lambda s: lines_signed_in(s, account, [path])

    return [
        Endpoint(
            "catalogue",
            "Catalogue /modules (new trainee)",
            APP_PORT,
            signed("new", "/modules"),
            "new",
        ),  # fmt: skip
        Endpoint(
            "lesson",
            "Lesson page (signed in)",
            APP_PORT,
            lambda s: lines_signed_in(s, "learner", [s.lesson_path]),
            "learner",
        ),  # fmt: skip
        Endpoint(
            "lesson-de",
            "Lesson page in German (signed in)",
            APP_PORT,
            lines_in_german,
            "learner",
        ),  # fmt: skip
        Endpoint(
            "quiz-page",
            "Quiz page (signed in)",
            APP_PORT,
            signed("learner", f"/modules/{generate_settings.LEARNER_MODULE}/quiz"),
            "learner",
        ),  # fmt: skip
        Endpoint(
            "quiz-submit",
            "Quiz submission (POST, graded, recorded)",
            APP_PORT,
            lambda s: [],
            None,  # each sheet comes with its own trainee's session (submission_pool)
            pool=True,
        ),  # fmt: skip
        Endpoint(
            "verify-page",
            "Verification page /verify?code=",
            APP_PORT,
            lambda s: lines_get([f"/verify?code={format_code(c)}" for c in s.codes]),
            xff=f"pool:{VERIFY_CLIENTS}",
        ),  # fmt: skip
        Endpoint(
            "verify-api",
            "Verification API /api/v1/certificates/<code>",
            APP_PORT,
            lambda s: lines_get([f"/api/v1/certificates/{c}" for c in s.codes]),
            xff=f"pool:{VERIFY_CLIENTS}",
        ),  # fmt: skip
        Endpoint(
            "dashboard",
            "Dashboard /modules (all modules done)",
            APP_PORT,
            signed("graduate", "/modules"),
            "graduate",
        ),  # fmt: skip
        Endpoint(
            "certificates",
            "Dashboard /certificates",
            APP_PORT,
            signed("graduate", "/certificates"),
            "graduate",
        ),  # fmt: skip
        Endpoint(
            "matrix",
            "Clearance matrix page (200 peers x 10 tasks, 25 a page)",
            APP_PORT,
            signed("coordinator", "/centre/matrix"),
            "coordinator",
        ),  # fmt: skip
        Endpoint(
            "matrix-csv",
            "Clearance matrix, all 200 peers x 10 tasks (CSV)",
            APP_PORT,
            signed("coordinator", "/centre/matrix.csv"),
            "coordinator",
        ),  # fmt: skip
        Endpoint(
            "ref-flask",
            "Reference: minimal Flask, same bytes",
            REFERENCE_PORT,
            lambda s: lines_get(["/lesson"]),
        ),  # fmt: skip
        Endpoint(
            "ref-nginx",
            "Reference: nginx, static file",
            NGINX_PORT,
            lambda s: lines_get(["/lesson.html"]),
        ),  # fmt: skip
    ]
