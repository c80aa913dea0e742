"""The trainees' other records: observed practice sessions and their results, pauses, and
the certificate verification log."""

from __future__ import annotations

import random
from datetime import timedelta

from generate_plan import DataSet
from generate_settings import CENTRES, PATH_SLUG, TRAINEES, VERIFICATIONS
from generate_users import NamedAccounts
from generate_writer import Writer


def write_trainee_records(
    writer: Writer, data: DataSet, named: NamedAccounts, codes: list[str], rng: random.Random
) -> int:
    trainer = TRAINEES + CENTRES + 1
    # Every scenario complete: its sessions on different weeks, every criterion met.
    observed = [(t.id, t.started_at + timedelta(days=30)) for t in data.trainees if t.observed]
    observed.append((named.graduate, data.now - timedelta(days=90)))
    sessions, results = [], []
    for user_id, first_day in observed:
        for scenario in data.path.practice:
            for week in range(scenario.sessions):
                day = first_day + timedelta(days=7 * week)
                sessions.append((len(sessions) + 1, user_id, PATH_SLUG, scenario.id, day.date(),
                                 "", trainer, day))  # fmt: skip
                results += [(len(results) + n, len(sessions), c.id, True)
                            for n, c in enumerate(scenario.criteria, start=1)]  # fmt: skip
    count = writer.insert(
        "observation_sessions",
        (
            "id",
            "user_id",
            "path_slug",
            "scenario_id",
            "observed_on",
            "note",
            "observed_by_id",
            "created_at",
        ),  # fmt: skip
        sessions,
    )
    count += writer.insert(
        "observation_results", ("id", "session_id", "criterion_id", "met"), results
    )
    paused = [t for t in data.trainees if t.paused]
    count += writer.insert(
        "pauses",
        ("id", "user_id", "kind", "note", "started_at", "ended_at", "started_by_id"),
        [
            (i, t.id, "self", None, data.now - timedelta(days=3), None, t.id)
            for i, t in enumerate(paused, start=1)
        ],  # fmt: skip
    )
    checks = (
        (
            i,
            data.now - timedelta(seconds=rng.randint(0, 365 * 86400)),
            codes[rng.randrange(len(codes))],
            "valid",
            "api" if i % 3 else "page",
            None,
            rng.randint(1, CENTRES),
        )
        for i in range(1, VERIFICATIONS + 1)
    )
    count += writer.insert(
        "verification_log",
        ("id", "checked_at", "code", "result", "via", "user_id", "centre_id"),
        checks,
    )
    return count
