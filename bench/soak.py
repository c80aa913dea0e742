"""``--soak MINUTES``: the mixed workload in one-minute rounds, with the errors and the
workers' memory after each round."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess

from endpoints import endpoints
from measure import write_lines
from quiz_pool import submission_pool
from run_settings import APP_PORT, CONNECTIONS, HOST, LUA, OUT, THREADS, VERIFY_CLIENTS
from servers import Server, memory_mb
from sign_in import ACCOUNTS, Session, sign_in

MIX = (  # endpoint name, share of requests
    ("lesson", 30),
    ("catalogue", 5),
    ("dashboard", 10),
    ("certificates", 5),
    ("quiz-page", 10),
    ("quiz-submit", 10),
    ("verify-api", 20),
    ("verify-page", 5),
    ("matrix", 5),
)


def soak(session: Session, app_server: Server, minutes: float, backend: str) -> None:
    """The mixed workload in one-minute rounds (fresh sign-ins and quiz attempts each
    round), with the errors and the workers' memory after every round."""
    by_name = {e.name: e for e in endpoints()}
    print(f"Soak: {minutes:g} minutes of mixed load on {backend}, one-minute rounds")
    print("round  req/s   p99 ms  errors  worker RSS MB")
    total_errors = 0
    history = []
    rounds = max(1, round(minutes))
    first_workers = sorted(app_server.worker_pids())
    for number in range(1, rounds + 1):
        for account in ACCOUNTS:
            sign_in(session, account, ACCOUNTS[account])
        per_endpoint = {}
        for name, share in MIX:
            endpoint = by_name[name]
            if endpoint.pool:
                per_endpoint[name] = submission_pool(session, 60 * share / 100)
            else:
                per_endpoint[name] = endpoint.requests(session)
        lines = mixed_lines(per_endpoint)
        requests_file = write_lines("soak", lines)
        cookies_file = write_lines("cookies", [c for c, _ in session.cookies.values()])
        env = dict(os.environ) | {
            "BENCH_REQUESTS": str(requests_file),
            "BENCH_COOKIES": str(cookies_file),
            "BENCH_XFF": f"pool:{VERIFY_CLIENTS}",
            "BENCH_THREADS": str(THREADS),
        }
        command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", "-d60s", "--timeout", "10s",
                   "-s", str(LUA), f"http://{HOST}:{APP_PORT}"]  # fmt: skip
        completed = subprocess.run(  # noqa: S603
            command, env=env, capture_output=True, text=True, check=False, timeout=180
        )
        data = json.loads(re.search(r"BENCH_RESULT (\{.*\})", completed.stdout).group(1))
        errors = sum(data[k] for k in ("connect_errors", "read_errors", "write_errors",
                                       "status_errors", "timeouts"))  # fmt: skip
        total_errors += errors
        rss = [memory_mb(pid).get("rss", 0) for pid in app_server.worker_pids()]
        rps = data["requests"] / (data["duration_us"] / 1e6)
        history.append({"round": number, "rps": rps, "p99_ms": data["p99_us"] / 1000,
                        "errors": errors, "rss_mb": rss, "wrapped": data["wrapped"]})  # fmt: skip
        print(f"{number:5d}  {rps:6.0f}  {data['p99_us'] / 1000:7.1f}  {errors:6d}  "
              f"{' '.join(f'{r:.0f}' for r in rss)}"
              + ("  (attempt pool wrapped)" if data["wrapped"] else ""), flush=True)  # fmt: skip
    server_errors = count_server_errors(app_server)
    same_workers = sorted(app_server.worker_pids()) == first_workers
    print(f"Soak done: {total_errors} wrk errors, {server_errors} responses with status ≥ 500 "
          "in the app's request log; "
          + ("the same workers throughout (none recycled or replaced)." if same_workers
             else "WORKERS WERE REPLACED during the run (a crash or a timeout)."))  # fmt: skip
    (OUT / f"soak-{backend}.json").write_text(
        json.dumps(
            {"rounds": history, "server_errors": server_errors, "same_workers": same_workers},
            indent=2,
        )
    )


def mixed_lines(per_endpoint: dict[str, list[str]]) -> list[str]:
    """The endpoints' lines interleaved at random in the proportions of MIX; each quiz
    attempt appears once."""
    rng = random.Random(11)  # noqa: S311
    weighted = [name for name, share in MIX for _ in range(share)]
    positions = dict.fromkeys(per_endpoint, 0)
    lines = []
    submissions = len(per_endpoint["quiz-submit"])
    for _ in range(submissions * 100 // 10):
        name = rng.choice(weighted)
        items = per_endpoint[name]
        if name == "quiz-submit" and positions[name] >= len(items):
            continue
        lines.append(items[positions[name] % len(items)])
        positions[name] += 1
    return lines


def count_server_errors(server: Server) -> int:
    count = 0
    with open(server.log.name) as log:
        for line in log:
            if '"status":5' in line:
                count += 1
    return count
