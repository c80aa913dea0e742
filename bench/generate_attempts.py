"""The quiz_attempts table: two million submitted attempts, and bench-learner's open one."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta

from generate_plan import DataSet, Draws
from generate_settings import LEARNER_MODULE, MODULE_ORDER
from generate_users import NamedAccounts
from generate_writer import Writer

ATTEMPT_COLUMNS = (
    "id",
    "user_id",
    "module_slug",
    "module_version",
    "question_ids",
    "answers",
    "score",
    "passed",
    "started_at",
    "submitted_at",
)


def write_attempts(writer: Writer, data: DataSet, named: NamedAccounts, rng: random.Random) -> int:
    draws = Draws(data.modules, rng)

    def rows() -> Iterator[tuple]:
        attempt_id = 0
        for trainee in data.trainees:
            for index, slug in enumerate(MODULE_ORDER):
                count = trainee.attempts.get(slug, 0)
                module = data.modules[slug]
                done = index < trainee.completed
                for number in range(count):
                    attempt_id += 1
                    question_ids, right, wrong = draws.pick(slug, rng)
                    # the last attempt of a completed module passed; the others failed
                    passed = done and (number == count - 1 or rng.random() < 0.3)
                    answers = right if passed else wrong
                    score = 100 if passed else 70
                    submitted = trainee.started_at + timedelta(days=index * 7, hours=number)
                    yield (
                        attempt_id,
                        trainee.id,
                        slug,
                        module.version,
                        question_ids,
                        answers,
                        score,
                        passed,
                        submitted - timedelta(minutes=12),
                        min(submitted, data.now),
                    )
        # bench-learner has opened the quiz of the module they are in, not sent it yet
        question_ids, _, _ = draws.pick(LEARNER_MODULE, rng)
        version = data.modules[LEARNER_MODULE].version
        yield (attempt_id + 1, named.learner, LEARNER_MODULE, version, question_ids)
        yield (None, None, None, data.now, None)

    count = writer.insert("quiz_attempts", ATTEMPT_COLUMNS, _join_open(rows()))
    data.next_id["quiz_attempts"] = count + 1
    return count


def _join_open(rows: Iterator[tuple]) -> Iterator[tuple]:
    """The open attempt comes in two halves (the second: no answers, no score, not
    submitted); every other row is whole."""
    for row in rows:
        yield row if len(row) == len(ATTEMPT_COLUMNS) else (*row, *next(rows))
