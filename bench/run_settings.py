"""Where the benchmark runner works: its folders, the addresses and ports of the app and
the two references, wrk's connections and threads, and the sizes of the verification and
quiz-submission loads."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
OUT = BENCH / "out"

HOST = "127.0.0.1"
APP_PORT, REFERENCE_PORT, NGINX_PORT = 8471, 8472, 8473
USER_AGENT = "peer-academy-bench"  # the same for sign-in and wrk: sessions are bound to it
CONNECTIONS, THREADS = 32, 2
VERIFY_CLIENTS = 20_000  # distinct client addresses the verification load comes from
SUBMISSION_POOL_RATE = 1500  # attempts opened per second of measurement (more than sent)
POOL_ACCOUNT = "pool-trainee-"  # session.cookies keys of the submission pool's trainees
LUA = BENCH / "lua" / "requests.lua"
PYTHON = sys.executable
