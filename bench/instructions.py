"""Machine instructions per request, counted by valgrind's callgrind: a figure that does
not depend on what else the machine is doing, unlike req/s and CPU time.

    make bench-instructions                       # every page below, 40 requests each
    .venv/bin/python bench/instructions.py quiz-submit --count 30

Each page runs in-process (the Flask test client) on the benchmark's data set with the
server's configuration: JSON request logs (to /dev/null), ProxyFix, the rate limits in
Redis when REDIS_URL is set (as ``make bench`` runs them). Only the measured requests
are counted: the script switches callgrind's instrumentation on and off around them.
docs/performance.md compares two commits with it.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import generate  # noqa: E402
import generate_settings  # noqa: E402

BASE = "https://localhost"
HEADERS = {
    "X-Forwarded-For": "10.9.8.7",
    "X-Forwarded-Proto": "https",
    "User-Agent": "peer-academy-bench",
    "Referer": f"{BASE}/modules",
}
SIGNED_IN = {  # page: the generated account it is measured as
    "lesson": "bench-learner",
    "lesson-de": "bench-learner",  # the same lesson, read in German (Accept-Language)
    "quiz-page": "bench-graduate",
    "quiz-submit": "bench-graduate",
    "dashboard": "bench-graduate",
    "certificates": "bench-graduate",
}
PAGES = [*SIGNED_IN, "verify-page", "verify-api"]
SUBMITTED_QUIZ = "boundaries"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help=f"some of: {', '.join(PAGES)} (default: all)")
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    unknown = set(args.pages) - set(PAGES)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
    if args.inside:
        measure(args.pages[0], args.count)
        return
    generate.ensure_dataset(None)  # outside valgrind: generating under it takes an hour
    for page in args.pages or PAGES:
        print(f"{page:14} {count_instructions(page, args.count) / 1e6:6.2f} M instructions")


def count_instructions(page: str, count: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        command = ["valgrind", "--tool=callgrind", "--instr-atstart=no"]
        command += [f"--callgrind-out-file={out}", sys.executable, __file__, page]
        command += ["--count", str(count), "--inside"]
        subprocess.run(command, check=True, capture_output=True)  # noqa: S603 - our own
        totals = re.search(r"^totals: (\d+)", out.read_text(), re.MULTILINE)
        return int(totals.group(1)) / count


def measure(page: str, count: int) -> None:
    client, quiz = signed_in_client(page)
    codes = certificate_codes(count)
    paths = {
        "lesson": lambda i: "/modules/peer-role/lessons/peers-and-professionals",
        "lesson-de": lambda i: "/modules/peer-role/lessons/peers-and-professionals",
        "quiz-page": lambda i: f"/modules/{SUBMITTED_QUIZ}/quiz",
        "dashboard": lambda i: "/modules",
        "certificates": lambda i: "/certificates",
        "verify-page": lambda i: f"/verify?code={codes[i]}",
        "verify-api": lambda i: f"/api/v1/certificates/{codes[i]}",
    }
    for number in range(3 + count):
        counted = number >= 3  # three warm-up requests first
        if page == "quiz-submit":
            submit_once(client, quiz, number, counted)
            continue
        headers = HEADERS if page in SIGNED_IN else HEADERS | {"X-Forwarded-For": address(number)}
        if page == "lesson-de":
            headers = headers | {"Accept-Language": "de"}
        with instrumented(counted):
            response = client.get(paths[page](number % count), headers=headers, base_url=BASE)
        expect(response, 200)


def signed_in_client(page: str):  # noqa: ANN201 - a test client and the submitted quiz
    from academy.core.catalogue import current_catalogue
    from academy.core.logging import configure_json_logging

    url, _ = generate.ensure_dataset(None)
    config = {"ACADEMY_PROXY_FIX": 1}
    if os.environ.get("REDIS_URL"):
        config["RATELIMIT_STORAGE_URI"] = os.environ["REDIS_URL"]
    app = generate.bench_app(url, **config)
    configure_json_logging(open(os.devnull, "w"))  # noqa: SIM115 - for the whole run
    client = app.test_client()
    if page in SIGNED_IN:
        token = form_token(client.get("/sign-in", headers=HEADERS, base_url=BASE).text)
        fields = {"username": SIGNED_IN[page], "password": generate_settings.BENCH_PASSWORD}
        response = client.post(
            "/sign-in", data=fields | {"csrf_token": token}, headers=HEADERS, base_url=BASE
        )
        expect(response, 302)
    with app.app_context():
        return client, current_catalogue().modules[SUBMITTED_QUIZ].quiz


def submit_once(client, quiz, number: int, counted: bool) -> None:  # noqa: ANN001
    """Open the quiz (not counted) and send it (counted): right twice, then wrong, so
    that three failures in a row (a wait) never happen."""
    from werkzeug.datastructures import MultiDict

    page = client.get(f"/modules/{SUBMITTED_QUIZ}/quiz", headers=HEADERS, base_url=BASE).text
    attempt = re.search(r'action="/quiz/attempts/(\d+)"', page).group(1)
    fields = [("csrf_token", form_token(page))]
    fields += re.findall(r'name="(attempt_token)" value="([^"]+)"', page)
    right = number % 3 != 2
    for question_id in dict.fromkeys(re.findall(r'name="answer-([^"]+)"', page)):
        question = quiz.question(question_id)
        wrong = [next(o.id for o in question.options if not o.correct)]
        for option in sorted(question.correct_ids) if right else wrong:
            fields.append((f"answer-{question_id}", option))
    with instrumented(counted):
        response = client.post(
            f"/quiz/attempts/{attempt}", data=MultiDict(fields), headers=HEADERS, base_url=BASE
        )
    expect(response, 302)


@contextmanager
def instrumented(counted: bool) -> Iterator[None]:
    """Callgrind counts inside the block only (callgrind_control talks to this process)."""
    switch = ["callgrind_control", "-i"]
    if counted:
        subprocess.run([*switch, "on", str(os.getpid())], check=False)  # noqa: S603
    try:
        yield
    finally:
        if counted:
            subprocess.run([*switch, "off", str(os.getpid())], check=False)  # noqa: S603


def certificate_codes(count: int) -> list[str]:
    import sqlalchemy as sa

    from academy.core.extensions import db

    url, _ = generate.ensure_dataset(None)
    with generate.bench_app(url).app_context():
        statement = "SELECT code FROM certificates WHERE revoked_at IS NULL ORDER BY id LIMIT :n"
        return list(db.session.scalars(sa.text(statement), {"n": count}))


def expect(response, status: int) -> None:  # noqa: ANN001 - a test response
    if response.status_code != status:
        raise SystemExit(f"{response.request.path}: {response.status_code}, not {status}")


def form_token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def address(number: int) -> str:
    """Another client address per verification: the rate limits count per address."""
    return f"10.9.{number % 250}.{number // 250}"


if __name__ == "__main__":
    main()
