"""``make bench``: every page against the two references, measured side by side.

1. Makes (or reuses) the data set of bench/generate.py.
2. Starts the app under gunicorn with the production settings (gunicorn.conf.py: sync
   workers, one per core, --preload) on 127.0.0.1, behind one trusted proxy
   (ACADEMY_PROXY_FIX=1) so that X-Forwarded-For can stand for many clients.
3. Starts the references: a minimal Flask app under the same gunicorn settings returning
   the lesson page's bytes (the ceiling for this stack), and nginx serving the same bytes
   as a static file (the physical limit).
4. Drives each endpoint with wrk (32 connections, 2 threads) for DURATION seconds,
   RUNS times, interleaved, and prints the medians: requests/s, p50, p99, and the ratio
   to both references. Results go to bench/out/results-<backend>.json and .md.

``--soak MINUTES`` instead runs the mixed workload for that long, in one-minute rounds,
and reports errors and the workers' memory after each round.

All traffic stays on 127.0.0.1; every loop is bounded by its duration.

This file runs the steps; the parts live beside it: run_settings.py (ports, wrk's
settings), servers.py (gunicorn, nginx, CPU and memory), sign_in.py, endpoints.py,
quiz_pool.py (the quiz submissions' open attempts), measure.py (wrk), startup_time.py,
report.py and soak.py.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

# ruff: noqa: E402 - bench/ is not a package: these imports need the path above
import generate
import generate_settings
from endpoints import endpoints
from measure import Result, measure
from report import MEMORY_TARGET_MB, STARTUP_TARGET_S, machine, median_result, report
from run_settings import APP_PORT, CONNECTIONS, OUT, REFERENCE_PORT, THREADS
from servers import Server, app_environment, cores, gunicorn, memory_mb, start_nginx
from sign_in import get_signed_in, prepare_session
from soak import soak
from startup_time import content_of, startup_cold_and_warm


def run_benchmark(args: argparse.Namespace) -> None:
    database_url, key = generate.ensure_dataset(args.database_url)
    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} is missing: apt-get install -y wrk nginx-light")
    env = app_environment(database_url)
    if args.soak:
        # Workers are normally recycled every ~20,000 requests, which would hide a leak
        # within the soak's minutes: here each worker serves the whole run.
        env["ACADEMY_MAX_REQUESTS"] = "0"
    servers: list[Server] = []
    try:
        app_server = gunicorn("app", "academy:create_app()", APP_PORT, env)
        servers.append(app_server)
        app_server.wait_ready("/healthz")
        session = prepare_session(database_url)
        static_root = OUT / "static"
        static_root.mkdir(parents=True, exist_ok=True)
        body = get_signed_in(session, "learner", session.lesson_path)
        (static_root / "lesson.html").write_bytes(body.encode())
        reference_env = env | {"BENCH_REFERENCE_BODY": str(static_root / "lesson.html")}
        reference = gunicorn(
            "reference", "reference_app:app", REFERENCE_PORT, reference_env,
            "--pythonpath", str(BENCH),
        )  # fmt: skip
        servers.append(reference)
        nginx = start_nginx(static_root)
        servers.append(nginx)
        reference.wait_ready("/lesson")
        nginx.wait_ready("/lesson.html")

        if args.soak:
            soak(session, app_server, args.soak, backend)
            return
        load_before = os.getloadavg()
        if load_before[0] > 1.0:
            print(f"Note: the machine is busy (load average {load_before[0]:.1f}); other "
                  "processes share the cores with the benchmark.")  # fmt: skip
        chosen = [e for e in endpoints() if not args.only or e.name in args.only]
        titles = {e.name: e.title for e in chosen}
        if args.warmup >= 1:  # wrk measures whole seconds: --warmup 0 skips it
            print(f"Warming up ({args.warmup} s each) ...", flush=True)
            for endpoint in chosen:
                measure(session, endpoint, args.warmup)
        results: dict[str, list[Result]] = {e.name: [] for e in chosen}
        for run in range(args.runs):
            for endpoint in chosen:  # interleaved: drift touches every endpoint alike
                result = measure(session, endpoint, args.duration)
                results[endpoint.name].append(result)
                print(
                    f"  run {run + 1}/{args.runs} {endpoint.name:<13} {result.rps:8.0f} req/s"
                    f"  p50 {result.p50_us / 1000:6.1f} ms  p99 {result.p99_us / 1000:6.1f} ms"
                    f"  CPU {result.cpu_ms:5.2f} ms/req"
                    f"  errors {result.errors}"
                    + ("  POOL WRAPPED" if endpoint.pool and result.wrapped else ""),
                    flush=True,
                )
        memory = [memory_mb(pid) for pid in app_server.worker_pids()]
        rows = {name: median_result(items) for name, items in results.items()}
        cold_real, warm_real, modules_real = startup_cold_and_warm(ROOT / "content")
        cold_200, warm_200, modules_200 = startup_cold_and_warm(content_of(200))
        extra = {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(),
            "load average (1 min) before / after": (
                f"{load_before[0]:.1f} / {os.getloadavg()[0]:.1f} (the benchmark adds about 3)"
            ),
            "database": backend,
            "data set": f"{key}: {generate_settings.TRAINEES} trainees, "
            f"{generate_settings.ATTEMPTS} attempts, "
            f"{generate_settings.CERTIFICATES} certificates, {generate_settings.CENTRES} centres",
            "runs": f"{args.runs} × {args.duration} s per endpoint, medians; wrk -t{THREADS} "
            f"-c{CONNECTIONS}; gunicorn sync × {cores()}, --preload",
            "worker memory (MB, after the runs)": ", ".join(
                f"RSS {m.get('rss', 0):.0f} / PSS {m.get('pss', 0):.0f} / private "
                f"{m.get('private_dirty', 0):.0f}"
                for m in memory
            )
            + f" (target: RSS < {MEMORY_TARGET_MB})",
            "app start-up (one process; first start / restart with the content cache)": (
                f"{cold_real:.2f} s / {warm_real:.2f} s for {modules_real} modules; "
                f"{cold_200:.2f} s / {warm_200:.2f} s for {modules_200} modules "
                f"(target {STARTUP_TARGET_S} s per worker; with --preload the master "
                "loads once and workers fork ready)"
            ),
        }
        table = report(backend, rows, extra, titles)
        print()
        print(table)
        (OUT / f"results-{backend}.md").write_text(table + "\n")
        (OUT / f"results-{backend}.json").write_text(
            json.dumps(
                {
                    "rows": rows,
                    "extra": extra,
                    "raw": {k: [asdict(r) for r in v] for k, v in results.items()},
                },
                indent=2,
            )  # fmt: skip
        )
    finally:
        for server in reversed(servers):
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or None)
    parser.add_argument("--duration", type=float, default=10, help="seconds per measurement")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--only", nargs="*", help="endpoint names (references always run)")
    parser.add_argument("--soak", type=float, help="minutes of mixed load instead")
    args = parser.parse_args()
    if args.only:
        args.only = [*args.only, "ref-flask", "ref-nginx"]
    run_benchmark(args)


if __name__ == "__main__":
    main()
