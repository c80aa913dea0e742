"""The centres, their coordinators, memberships and tasks with their requirements (the
clearance matrix's data)."""

from __future__ import annotations

import random
from datetime import timedelta

from generate_plan import DataSet
from generate_settings import CENTRES, PATH_SLUG, TASKS_PER_CENTRE
from generate_users import NamedAccounts
from generate_writer import Writer


def write_centres(writer: Writer, data: DataSet, named: NamedAccounts, rng: random.Random) -> int:
    now = data.now
    invite_alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
    centres = [
        (
            i,
            "Bench centre" if i == 1 else f"Counselling centre {i}",
            "".join(rng.choices(invite_alphabet, k=10)),
            f"Support line of centre {i}: 0800 000 {i:03d}",
            now - timedelta(days=900),
        )
        for i in range(1, CENTRES + 1)
    ]
    count = writer.insert(
        "centres", ("id", "name", "invite_code", "support_contact", "created_at"), centres
    )
    count += writer.insert(
        "centre_coordinators",
        ("id", "centre_id", "user_id"),
        [(i, i, named.coordinator + i - 1) for i in range(1, CENTRES + 1)],
    )
    memberships = [
        (t.id, t.centre_id, t.id, t.started_at, None) for t in data.trainees
    ]  # one membership per trainee, id = trainee id
    count += writer.insert(
        "centre_memberships",
        ("id", "centre_id", "user_id", "consent_given_at", "withdrawn_at"),
        memberships,
    )
    # Ten tasks per centre, each requiring a realistic mix.
    requirement_sets = [
        [("module", "peer-role")],
        [("module", "peer-role"), ("module", "data-protection")],
        [("module", "peer-role"), ("module", "safe-listening"), ("module", "boundaries")],
        [("path", PATH_SLUG)],
        [("path", PATH_SLUG), ("module", "boundaries")],
        [("module", "multiplier-methods"), ("module", "data-protection")],
        [("module", "safe-listening")],
        [("module", "boundaries"), ("module", "data-protection")],
        [("path", PATH_SLUG), ("module", "peer-role")],
        [
            ("module", "peer-role"),
            ("module", "safe-listening"),
            ("module", "data-protection"),
            ("module", "boundaries"),
            ("module", "multiplier-methods"),
        ],  # fmt: skip
    ]
    tasks, requirements = [], []
    task_id = 0
    for centre_id in range(1, CENTRES + 1):
        for number in range(TASKS_PER_CENTRE):
            task_id += 1
            tasks.append((task_id, centre_id, f"Task {number + 1}", "Benchmark task", now))
            for kind, ref in requirement_sets[number % len(requirement_sets)]:
                requirements.append((len(requirements) + 1, task_id, kind, ref))
    count += writer.insert(
        "centre_tasks", ("id", "centre_id", "title", "description", "created_at"), tasks
    )
    count += writer.insert(
        "centre_task_requirements", ("id", "task_id", "kind", "ref"), requirements
    )
    return count
