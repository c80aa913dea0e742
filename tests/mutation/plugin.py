"""A pytest plugin for the commit check (``-p tests.mutation.plugin``), steered by two
environment variables:

* ``ACADEMY_TEST_MUTANT=academy/…/views.py:123``: the ``db.session.commit()`` on that line
  does nothing (the request's session is then rolled back at its end, as on a server).
* ``ACADEMY_TEST_COMMIT_MAP=<file>``: write, as JSON, which tests reach which commit.

``ACADEMY_TEST_MUTANT_REPORT=<file>`` receives the outcome: how often the skipped commit
was reached and the first test that failed.
"""

from __future__ import annotations

import json
import os
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy.orm import scoped_session

from tests.mutation.commit_sites import PROJECT_ROOT

MUTANT = os.environ.get("ACADEMY_TEST_MUTANT", "")
COMMIT_MAP = os.environ.get("ACADEMY_TEST_COMMIT_MAP", "")
REPORT = os.environ.get("ACADEMY_TEST_MUTANT_REPORT", "")

original_commit = scoped_session.commit
current_test = ""
reached: dict[str, set[str]] = defaultdict(set)  # commit site -> test node ids
skipped = 0
first_failure = ""


def caller_site(depth: int = 2) -> str:
    frame = sys._getframe(depth)
    path = Path(frame.f_code.co_filename)
    if not path.is_relative_to(PROJECT_ROOT):
        return ""
    return f"{path.relative_to(PROJECT_ROOT).as_posix()}:{frame.f_lineno}"


def commit(self: scoped_session) -> None:
    global skipped
    site = caller_site()
    if COMMIT_MAP and site.startswith("academy/"):
        reached[site].add(current_test)
    if site == MUTANT:
        skipped += 1
        return None
    return original_commit(self)


def pytest_configure(config: pytest.Config) -> None:
    scoped_session.commit = commit  # type: ignore[method-assign]


def pytest_unconfigure(config: pytest.Config) -> None:
    scoped_session.commit = original_commit  # type: ignore[method-assign]
    if COMMIT_MAP:
        data = {site: sorted(tests) for site, tests in sorted(reached.items())}
        Path(COMMIT_MAP).write_text(json.dumps(data, indent=1))
    if REPORT:
        Path(REPORT).write_text(json.dumps({"reached": skipped, "failed": first_failure}))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item: pytest.Item) -> None:
    global current_test
    current_test = item.nodeid


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    global first_failure
    if report.failed and not first_failure:
        first_failure = report.nodeid
