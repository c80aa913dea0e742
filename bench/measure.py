"""One measurement: an endpoint's requests written for requests.lua, wrk run against it,
and its figures with the server's CPU time per request (Result)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from endpoints import Endpoint
from quiz_pool import submission_pool
from run_settings import CONNECTIONS, HOST, LUA, OUT, THREADS
from servers import SERVERS, database_cpu_seconds
from sign_in import ACCOUNTS, Session, sign_in


@dataclass
class Result:
    requests: int
    duration_us: int
    p50_us: int
    p90_us: int
    p99_us: int
    max_us: int
    errors: int
    wrapped: int
    cpu_ms: float = 0.0  # CPU time of the server (and its database) per request

    @property
    def rps(self) -> float:
        return self.requests / (self.duration_us / 1e6)


def write_lines(name: str, lines: list[str]) -> Path:
    path = OUT / "requests" / f"{name}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def measure(session: Session, endpoint: Endpoint, seconds: float) -> Result:
    if endpoint.signed_in is not None:
        # A fresh sign-in per measurement: a session cookie that wrk replays for longer
        # than a minute would be re-issued on every response (the idle clock moves).
        sign_in(session, endpoint.signed_in, ACCOUNTS[endpoint.signed_in])
    lines = submission_pool(session, seconds) if endpoint.pool else endpoint.requests(session)
    requests_file = write_lines(endpoint.name, lines)
    cookies_file = write_lines("cookies", [cookie for cookie, _ in session.cookies.values()])
    env = dict(os.environ) | {
        "BENCH_REQUESTS": str(requests_file),
        "BENCH_COOKIES": str(cookies_file),
        "BENCH_XFF": endpoint.xff,
        "BENCH_THREADS": str(THREADS),
    }
    server = SERVERS[endpoint.port]
    cpu_before = server.cpu_seconds() + database_cpu_seconds(session.database_url)
    command = [
        "wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{round(seconds)}s", "--timeout", "10s",
        "-s", str(LUA), f"http://{HOST}:{endpoint.port}",
    ]  # fmt: skip
    completed = subprocess.run(  # noqa: S603 - wrk, fixed arguments
        command, env=env, capture_output=True, text=True, check=False, timeout=seconds + 60
    )
    match = re.search(r"BENCH_RESULT (\{.*\})", completed.stdout)
    if completed.returncode != 0 or match is None:
        raise SystemExit(f"wrk failed for {endpoint.name}:\n{completed.stdout}\n{completed.stderr}")
    cpu = server.cpu_seconds() + database_cpu_seconds(session.database_url) - cpu_before
    data = json.loads(match.group(1))
    errors = sum(data[k] for k in ("connect_errors", "read_errors", "write_errors",
                                   "status_errors", "timeouts"))  # fmt: skip
    return Result(
        data["requests"], data["duration_us"], data["p50_us"], data["p90_us"], data["p99_us"],
        data["max_us"], errors, data["wrapped"], 1000 * cpu / max(1, data["requests"]),
    )  # fmt: skip
