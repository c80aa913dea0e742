"""Profile one page in-process: where does a request's time go?

    .venv/bin/python bench/profile_page.py /modules/trauma/lessons/grounding --as bench-learner
    .venv/bin/python bench/profile_page.py /centre/matrix --as bench-centre --count 200

Uses the benchmark's data set (bench/generate.py) and the Flask test client, so no
server, no network; counts the SQL statements of one request and prints
pyinstrument's call tree for ``--count`` requests (`make bench` installs it: the `bench` extra).
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import generate  # noqa: E402
import generate_settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--as", dest="username", help="sign in as this generated account")
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--no-profile", action="store_true", help="only the CPU time")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or None)
    args = parser.parse_args()

    from sqlalchemy import event

    from academy.core.extensions import db

    url, _ = generate.ensure_dataset(args.database_url)
    logging.getLogger("academy.request").disabled = True  # one line per request: noise here
    app = generate.bench_app(url, RATELIMIT_ENABLED=False)
    client = app.test_client()
    if args.username:
        page = client.get("/sign-in").get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        response = client.post(
            "/sign-in",
            data={
                "username": args.username,
                "password": generate_settings.BENCH_PASSWORD,
                "csrf_token": token,
            },  # fmt: skip
        )
        if response.status_code != 302:
            raise SystemExit(f"signing in as {args.username} failed ({response.status_code})")
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, *_args) -> None:  # noqa: ANN001
        statements.append(statement.split("\n")[0][:120])

    client.get(args.path)  # warm: first-request work is not what we measure
    event.listen(engine, "before_cursor_execute", count)
    response = client.get(args.path)
    event.remove(engine, "before_cursor_execute", count)
    print(f"{args.path}: status {response.status_code}, {len(response.data)} bytes, "
          f"{len(statements)} SQL statements")  # fmt: skip
    for statement in statements:
        print("   ", statement)
    # CPU time per request without a profiler: on a shared machine, wall-clock time
    # measures the neighbours too, CPU time mostly does not.
    cpu_started = time.process_time()
    for _ in range(args.count):
        client.get(args.path)
    cpu_ms = 1000 * (time.process_time() - cpu_started) / args.count
    print(f"CPU time per request (app and SQLite, in-process, no profiler): {cpu_ms:.2f} ms")
    if args.no_profile:
        return
    started = time.perf_counter()
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(args.count):
        client.get(args.path)
    profiler.stop()
    elapsed = time.perf_counter() - started
    print(f"{args.count} requests in {elapsed:.2f} s: {1000 * elapsed / args.count:.2f} ms each "
          "(with the profiler's overhead)")  # fmt: skip
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
