"""The commit check, end to end: ``make mutation`` (docs/testing.md).

1. Run the in-process suite once, recording which tests reach each ``db.session.commit()``
   in ``academy/``.
2. For each commit in turn, run those tests (stopping at the first failure) with that one
   commit doing nothing. A test must fail; a commit whose removal no test notices is
   reported, and the run fails.
3. Print the results as a Markdown table; ``--write docs/testing.md`` puts it in the doc.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.mutation.commit_sites import PROJECT_ROOT, CommitSite, find_commit_sites

PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
PLUGIN = ["-p", "tests.mutation.plugin"]
# Only in-process tests can see a patched commit: the browser and deployed-setup tests
# drive servers in other processes.
IN_PROCESS = ["--ignore=tests/browser", "--ignore=tests/deployed", "--ignore=tests/mutation"]
START, END = "<!-- commit-check:start -->", "<!-- commit-check:end -->"


def run_pytest(args: list[str], env: dict[str, str], timeout: int) -> int:
    return subprocess.run(  # noqa: S603 (our own interpreter and arguments)
        PYTEST + PLUGIN + args,
        cwd=PROJECT_ROOT,
        env=os.environ | env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=timeout,
        check=False,
    ).returncode


def map_commits(work: Path) -> dict[str, list[str]]:
    commit_map = work / "commit-map.json"
    code = run_pytest(IN_PROCESS, {"ACADEMY_TEST_COMMIT_MAP": str(commit_map)}, 3600)
    if code != 0:
        sys.exit("the suite fails without any mutation; fix that first")
    return json.loads(commit_map.read_text())


def check(site: CommitSite, tests: list[str], work: Path, timeout: int) -> tuple[str, str]:
    """(outcome, the first test that failed)."""
    if not tests:
        return "no test reaches it", ""
    report = work / "report.json"
    env = {"ACADEMY_TEST_MUTANT": site.key, "ACADEMY_TEST_MUTANT_REPORT": str(report)}
    # Whole files, in the order they first reach the commit: a parametrised test's id
    # (a URL, a space) does not always survive the command line.
    files = list(dict.fromkeys(test.partition("::")[0] for test in tests))
    run_pytest(["-x", *files], env, timeout)
    result = json.loads(report.read_text())
    if not result["reached"]:
        return "not reached", ""
    if not result["failed"]:
        return "SURVIVED", ""
    return "caught", result["failed"]


def table(rows: list[tuple[CommitSite, str, str]]) -> str:
    lines = [
        "| Commit in | Line | Outcome | First test that failed without it |",
        "|---|---|---|---|",
    ]
    for site, outcome, test in rows:
        lines.append(f"| `{site.function}` | {site.line} | {outcome} | `{test}` |")
    return "\n".join(lines)


def write_into(doc: Path, text: str) -> None:
    content = doc.read_text(encoding="utf-8")
    before, _, rest = content.partition(START)
    _, _, after = rest.partition(END)
    doc.write_text(f"{before}{START}\n{text}\n{END}{after}", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="put the table into this Markdown file")
    parser.add_argument("--map", type=Path, help="reuse a commit map from an earlier run")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per commit")
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        commit_map = json.loads(args.map.read_text()) if args.map else map_commits(work)
        rows = []
        for site in find_commit_sites():
            outcome, test = check(site, commit_map.get(site.key, []), work, args.timeout)
            print(f"{site.key:55} {outcome:10} {test}", flush=True)
            rows.append((site, outcome, test))
    minutes = (time.monotonic() - started) / 60
    print(f"\n{len(rows)} commits checked in {minutes:.0f} minutes\n")
    print(table(rows))
    if args.write:
        write_into(args.write, table(rows))
    return 0 if all(outcome == "caught" for _, outcome, _ in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
