"""The report: medians of the runs, the table with the ratios to the references, the
targets from the issue and whether each was met, and the machine it ran on."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from measure import Result
from servers import cores

# Targets from the issue, checked in the printed table.
TARGETS = {
    "lesson": {"ratio_flask": 0.50, "p99_ms": 20},
    "verify-api": {"ratio_flask": 0.60, "p99_ms": 10},
    "dashboard": {"p99_ms": 50},
    "certificates": {"p99_ms": 50},
    "matrix": {"p99_ms": 50},
    "matrix-csv": {"p99_ms": 50},
    "quiz-submit": {"p99_ms": 50, "postgresql_only": True},
}
GERMAN_LESSON_CPU_RATIO = 1.10  # issue 16: the lesson in German at most 10 % more CPU
MEMORY_TARGET_MB = 150
STARTUP_TARGET_S = 1.5


def median_result(results: list[Result]) -> dict[str, float]:
    return {
        "rps": statistics.median(r.rps for r in results),
        "p50_ms": statistics.median(r.p50_us for r in results) / 1000,
        "p99_ms": statistics.median(r.p99_us for r in results) / 1000,
        "cpu_ms": statistics.median(r.cpu_ms for r in results),
        "errors": sum(r.errors for r in results),
        "pool_wrapped": sum(r.wrapped for r in results),
        "runs_rps": [round(r.rps, 1) for r in results],
    }


def target_verdict(name: str, row: dict, backend: str) -> str:
    target = TARGETS.get(name)
    if target is None:
        return ""
    if target.get("postgresql_only") and backend != "postgresql":
        return f"(target p99 ≤ {target['p99_ms']} ms on PostgreSQL)"
    checks = []
    if "ratio_flask" in target:
        ok = row["ratio_flask"] >= target["ratio_flask"]
        checks.append(f"{'met' if ok else 'MISSED'} ≥{target['ratio_flask']:.0%} of Flask")
    ok = row["p99_ms"] <= target["p99_ms"]
    checks.append(f"{'met' if ok else 'MISSED'} p99 ≤ {target['p99_ms']} ms")
    return "; ".join(checks)


def report(backend: str, rows: dict[str, dict], extra: dict, titles: dict[str, str]) -> str:
    flask, nginx = rows["ref-flask"]["rps"], rows["ref-nginx"]["rps"]
    header = (
        "| endpoint | req/s | p50 ms | p99 ms | vs Flask | vs nginx | CPU ms/req | errors "
        "| target |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    )
    lines = [header]
    for name, row in rows.items():
        row["ratio_flask"] = row["rps"] / flask
        row["ratio_nginx"] = row["rps"] / nginx
        lines.append(
            f"| {titles[name]} | {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | "
            f"{row['ratio_flask']:.0%} | {row['ratio_nginx']:.1%} | {row['cpu_ms']:.2f} | "
            f"{row['errors']} | "
            f"{target_verdict(name, row, backend)} |"
        )
    lines.append("")
    if "lesson" in rows and "lesson-de" in rows:
        ratio = rows["lesson-de"]["cpu_ms"] / rows["lesson"]["cpu_ms"]
        verdict = "met" if ratio <= GERMAN_LESSON_CPU_RATIO else "MISSED"
        lines.append(
            f"- German lesson page: {ratio:.2f} times the English page's CPU per request "
            f"({verdict} ≤ {GERMAN_LESSON_CPU_RATIO})"
        )
    lines += [f"- {key}: {value}" for key, value in extra.items()]
    return "\n".join(lines)


def machine() -> str:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    return f"{cores()} cores ({model}), {memory:.0f} GiB, Python {sys.version.split()[0]}"
