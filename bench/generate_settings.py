"""The benchmark data set's settings: where it is kept, its version, seed and sizes
(BENCH_SCALE), the named accounts' password and the order trainees take the modules in."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"

DATASET_VERSION = "v2"  # v2: observed practice sessions instead of attestations
SEED = 2026
# BENCH_SCALE=0.01 makes a small data set for trying the scripts out; the figures in
# docs/performance.md are measured at 1.
SCALE = float(os.environ.get("BENCH_SCALE", "1"))

TRAINEES = int(100_000 * SCALE)
ATTEMPTS = int(2_000_000 * SCALE)
CERTIFICATES = int(500_000 * SCALE)
CENTRES = 300
TASKS_PER_CENTRE = 10
MATRIX_PEERS = 200  # sharing peers of the benchmark's centre (centre 1)
TRAINERS = 20
VERIFICATIONS = int(200_000 * SCALE)
QUIZ_USERS = 16  # accounts whose pre-opened attempts the submission benchmark sends

# Only for the generated accounts; documented in docs/performance.md.
BENCH_PASSWORD = "bench-password-2026"  # noqa: S105 - a documented benchmark fixture
# The order trainees take the modules in (it respects every prerequisite).
MODULE_ORDER = (
    "peer-role",
    "safe-listening",
    "data-protection",
    "boundaries",
    "multiplier-methods",
)
PATH_SLUG = "peer-advisor-core"
LEARNER_MODULE = "safe-listening"  # the module bench-learner is in the middle of
QUIZ_MODULE = "boundaries"  # the module whose quiz the submission benchmark sends
CHUNK = 20_000  # rows per executemany/COPY batch kept in memory
