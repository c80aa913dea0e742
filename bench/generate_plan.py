"""The people of the data set and what they did (decided before any row is written, so
the totals can be met exactly), and the drawn question sets their quiz attempts reuse."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from generate_settings import ATTEMPTS, CENTRES, CERTIFICATES, MATRIX_PEERS, MODULE_ORDER, TRAINEES


@dataclass
class Trainee:
    id: int
    completed: int  # modules done, in MODULE_ORDER
    started_at: datetime
    centre_id: int
    observed: bool  # every practice scenario of the path complete
    paused: bool
    attempts: dict[str, int] = field(default_factory=dict)  # module -> submitted attempts
    old_certificates: list[str] = field(default_factory=list)  # modules with a 0.9 certificate


@dataclass
class DataSet:
    now: datetime
    modules: dict  # slug -> academy Module
    path: object  # the academy CertificatePath: its title and its practice scenarios
    trainees: list[Trainee]
    next_id: dict[str, int] = field(default_factory=dict)

    def ids(self, table: str, count: int) -> range:
        start = self.next_id.get(table, 1)
        self.next_id[table] = start + count
        return range(start, start + count)


def plan(modules: dict, path: object, rng: random.Random, now: datetime) -> DataSet:
    """Who did how much: decided first, so the totals can be met exactly."""
    trainees: list[Trainee] = []
    weights = [5, 10, 15, 20, 20, 30]  # how many of the five modules are complete
    for user_id in range(1, TRAINEES + 1):
        completed = rng.choices(range(6), weights)[0]
        centre_id = 1 if user_id <= MATRIX_PEERS else 2 + (user_id % (CENTRES - 1))
        trainee = Trainee(
            id=user_id,
            completed=completed,
            started_at=now - timedelta(days=rng.randint(30, 3 * 365)),
            centre_id=centre_id,
            observed=completed == 5 and rng.random() < 0.7,
            paused=rng.random() < 0.02,
        )
        for index, slug in enumerate(MODULE_ORDER):
            if index < completed:
                trainee.attempts[slug] = 1 + min(int(rng.expovariate(1.5)), 5)
            elif index == completed:
                trainee.attempts[slug] = rng.randint(0, 2)
        trainees.append(trainee)
    data = DataSet(now=now, modules=modules, path=path, trainees=trainees)
    # Top up to the exact totals: retakes for practice, and certificates of an earlier
    # content version (recertified since).
    base_attempts = sum(sum(t.attempts.values()) for t in trainees)
    for _ in range(ATTEMPTS - base_attempts):
        trainee = trainees[rng.randrange(TRAINEES)]
        slug = rng.choice(list(trainee.attempts) or [MODULE_ORDER[0]])
        trainee.attempts[slug] = trainee.attempts.get(slug, 0) + 1
    base_certificates = sum(t.completed + (t.completed == 5 and t.observed) for t in trainees)
    candidates = [t for t in trainees if t.completed]
    missing = CERTIFICATES - base_certificates
    while missing > 0:
        trainee = candidates[rng.randrange(len(candidates))]
        slug = MODULE_ORDER[rng.randrange(trainee.completed)]
        if slug not in trainee.old_certificates:
            trainee.old_certificates.append(slug)
            missing -= 1
    return data


def sheet_answer(question, right: bool) -> list[str]:  # noqa: ANN001
    """A right answer as the quiz sheet sends it, or a wrong one: one wrong option, or,
    for steps to order (no option is wrong), the right order reversed."""
    answer = question.type.right_answer(question)
    if right:
        return answer
    return [o.id for o in question.options if not o.correct][:1] or answer[::-1]


class Draws:
    """A few hundred drawn question sets per module with their answer sheets, reused:
    rendering a fresh one for each of two million attempts would only cost time."""

    def __init__(self, modules: dict, rng: random.Random) -> None:
        self.sets: dict[str, list[tuple[list[str], dict, dict]]] = {}
        for slug in MODULE_ORDER:
            quiz = modules[slug].quiz
            ids = [q.id for q in quiz.questions]
            sets = []
            for _ in range(200):
                drawn = set(rng.sample(ids, min(quiz.draw or len(ids), len(ids))))
                question_ids = [qid for qid in ids if qid in drawn]
                questions = [quiz.question(qid) for qid in question_ids]
                right = {q.id: sheet_answer(q, right=True) for q in questions}
                wrong = dict(right)
                for question in rng.sample(questions, 3):
                    wrong[question.id] = sheet_answer(question, right=False)
                # As JSON text already: two million json.dumps calls would dominate.
                sets.append((json.dumps(question_ids), json.dumps(right), json.dumps(wrong)))
            self.sets[slug] = sets

    def pick(self, slug: str, rng: random.Random) -> tuple[str, str, str]:
        return self.sets[slug][rng.randrange(len(self.sets[slug]))]
