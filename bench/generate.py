"""A realistic data set for the benchmark, written with bulk inserts.

100,000 trainees with progress, 2,000,000 quiz attempts, 500,000 certificates, 300
centres (one of them with exactly 200 sharing peers and 10 tasks, for the clearance
matrix), observed practice sessions, pauses and a verification log; plus a few named accounts the
benchmark signs in with. The schema comes from the real migrations.

SQLite: ``executemany`` in one transaction per table. PostgreSQL: ``COPY``. A SQLite
file is cached under bench/out/ and a PostgreSQL database remembers what it holds
(table ``bench_dataset``), keyed by the data-set version, the schema's migration head
and the content's module versions, so a second run reuses the data.

    .venv/bin/python bench/generate.py [--database-url URL] [--force]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

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


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


# --- writing ------------------------------------------------------------------------------


class Writer:
    """Bulk inserts into one table at a time, through the driver, not the ORM."""

    def __init__(self, engine) -> None:  # noqa: ANN001 - a SQLAlchemy Engine
        self.engine = engine
        self.dialect = engine.dialect.name
        self.raw = engine.raw_connection()
        self.connection = self.raw.driver_connection
        self.tables = _metadata(engine).tables
        if self.dialect == "sqlite":
            # Nobody else uses the file while it is generated: no fsync, no rollback journal.
            self.connection.execute("PRAGMA synchronous=OFF")
            self.connection.execute("PRAGMA foreign_keys=OFF")
        else:
            cursor = self.connection.cursor()
            # Bulk load: the data is consistent by construction, so skip the per-row
            # foreign key triggers (needs a superuser, as the benchmark database has).
            cursor.execute("SET session_replication_role = replica")
            cursor.execute("SET synchronous_commit = off")

    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
        extra = self._defaults(table, columns)
        names = [*columns, *extra]
        tail = tuple(extra.values())
        count = 0
        if self.dialect == "sqlite":
            marks = ", ".join("?" for _ in names)
            sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})"  # noqa: S608
            for chunk in _chunks(rows, CHUNK):
                self.connection.executemany(sql, [self._sqlite(row) + tail for row in chunk])
                count += len(chunk)
            self.connection.commit()
        else:
            cursor = self.connection.cursor()
            with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(self._postgres(row) + tail)
                    count += 1
            self.connection.commit()
        return count

    def _defaults(self, table: str, columns: Sequence[str]) -> dict[str, object]:
        """Values for NOT NULL columns the generator does not know (added by a later
        migration), from the model's Python default; so the generator keeps working
        while the schema grows."""
        extra: dict[str, object] = {}
        for column in self.tables[table].columns:
            if column.name in columns or column.nullable or column.server_default is not None:
                continue
            if column.primary_key:
                continue
            default = _model_default(table, column.name)
            if default is _MISSING:
                raise SystemExit(f"bench/generate.py: no value for {table}.{column.name}")
            extra[column.name] = default
        return extra

    @staticmethod
    def _sqlite(row: Sequence) -> tuple:
        return tuple(_sqlite_value(value) for value in row)

    @staticmethod
    def _postgres(row: Sequence) -> tuple:
        return tuple(json.dumps(v) if isinstance(v, list | dict) else v for v in row)

    def execute(self, sql: str) -> None:
        cursor = self.connection.cursor()
        cursor.execute(sql)
        self.connection.commit()

    def close(self) -> None:
        self.raw.close()


_MISSING = object()


def _model_default(table: str, column: str) -> object:
    from academy.core.extensions import db

    for mapper in db.Model.registry.mappers:
        if mapper.local_table.name != table or column not in mapper.columns:
            continue
        default = mapper.columns[column].default
        if default is None:
            return _MISSING
        if default.is_scalar:
            return default.arg
        if default.is_callable:
            return default.arg(None)
    return _MISSING


def _sqlite_value(value: object) -> object:
    # The text forms SQLAlchemy's SQLite types read back; one dict lookup per value,
    # since this runs some fifty million times.
    convert = _SQLITE_CONVERTERS.get(type(value))
    return value if convert is None else convert(value)


_SQLITE_CONVERTERS = {
    datetime: lambda value: value.isoformat(" "),
    date: lambda value: value.isoformat(),
    bool: int,
    list: json.dumps,
    dict: json.dumps,
}


def _chunks(rows: Iterable[Sequence], size: int) -> Iterator[list[Sequence]]:
    chunk: list[Sequence] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _metadata(engine):  # noqa: ANN001, ANN202
    import sqlalchemy as sa

    metadata = sa.MetaData()
    metadata.reflect(engine)
    return metadata


# --- the people and what they did --------------------------------------------------------


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


# --- the tables ----------------------------------------------------------------------------


def password_hash() -> str:
    """One real argon2id hash with the production parameters, reused by every account:
    signing in costs what it costs in production, generating costs one hash."""
    from argon2 import PasswordHasher

    from academy.core.config import DEFAULTS

    return PasswordHasher(
        time_cost=DEFAULTS["ARGON2_TIME_COST"],
        memory_cost=DEFAULTS["ARGON2_MEMORY_COST"],
        parallelism=DEFAULTS["ARGON2_PARALLELISM"],
    ).hash(BENCH_PASSWORD)


USER_COLUMNS = (
    "id",
    "username",
    "display_name",
    "password_hash",
    "role",
    "session_nonce",
    "created_at",
    "last_active_at",
    "failed_sign_ins",
)


@dataclass(frozen=True)
class NamedAccounts:
    """Accounts the benchmark signs in with (ids after the generated trainees)."""

    new: int  # a trainee who has not started: the plain catalogue
    learner: int  # in the middle of a module: lesson and quiz pages
    graduate: int  # every module and the path done: dashboard and certificates
    coordinator: int  # of centre 1: the clearance matrix
    quiz_users: tuple[int, ...]  # the submission benchmark's attempts belong to them

    @property
    def usernames(self) -> dict[str, str]:
        names = {
            "new": "bench-new",
            "learner": "bench-learner",
            "graduate": "bench-graduate",
            "coordinator": "bench-centre",
        }
        names |= {f"quiz-{i + 1:02d}": f"bench-quiz-{i + 1:02d}" for i in range(QUIZ_USERS)}
        return names


def write_users(writer: Writer, data: DataSet, rng: random.Random) -> NamedAccounts:
    hashed = password_hash()
    now = data.now

    def user(user_id: int, username: str, display: str, role: str, created: datetime) -> tuple:
        nonce = f"{rng.getrandbits(128):032x}"
        return (user_id, username, display, hashed, role, nonce, created, now, 0)

    rows: list[tuple] = [
        user(t.id, f"trainee-{t.id:06d}", f"Peer {t.id}", "trainee", t.started_at)
        for t in data.trainees
    ]
    next_id = TRAINEES + 1
    coordinators = range(next_id, next_id + CENTRES)
    rows += [
        user(uid, f"centre-{i + 1:03d}", f"Coordinator {i + 1}", "centre", now)
        for i, uid in enumerate(coordinators)
    ]
    next_id += CENTRES
    rows += [
        user(next_id + i, f"trainer-{i + 1:02d}", f"Trainer {i + 1}", "trainer", now)
        for i in range(TRAINERS)
    ]
    next_id += TRAINERS
    rows.append(user(next_id, "bench-admin", "Admin", "admin", now))
    next_id += 1
    named = NamedAccounts(
        new=next_id,
        learner=next_id + 1,
        graduate=next_id + 2,
        coordinator=coordinators[0],
        quiz_users=tuple(range(next_id + 3, next_id + 3 + QUIZ_USERS)),
    )
    rows += [
        user(named.new, "bench-new", "Bench newcomer", "trainee", now),
        user(named.learner, "bench-learner", "Bench learner", "trainee", now),
        user(named.graduate, "bench-graduate", "Bench graduate", "trainee", now),
    ]
    rows += [
        user(uid, f"bench-quiz-{i + 1:02d}", f"Bench quiz {i + 1}", "trainee", now)
        for i, uid in enumerate(named.quiz_users)
    ]
    # The coordinator of centre 1 signs in as "bench-centre".
    rows[named.coordinator - 1] = user(
        named.coordinator, "bench-centre", "Bench coordinator", "centre", now
    )
    writer.insert("users", USER_COLUMNS, rows)
    data.next_id["users"] = named.quiz_users[-1] + 1
    return named


def _progress_rows(
    data: DataSet, trainee_id: int, completed: int, started: datetime, rng: random.Random
) -> tuple[list[tuple], list[tuple]]:
    """lesson_progress and module_progress rows for someone who completed the first
    ``completed`` modules and is half-way through the next one."""
    lessons: list[tuple] = []
    modules: list[tuple] = []
    moment = started
    for index, slug in enumerate(MODULE_ORDER):
        module = data.modules[slug]
        if index > completed:
            break
        done = index < completed
        studied = module.lessons if done else module.lessons[: len(module.lessons) // 2]
        warning = moment if module.content_warning else None
        for lesson in studied:
            moment += timedelta(minutes=rng.randint(5, 60 * 24))
            lessons.append((trainee_id, slug, lesson.slug, min(moment, data.now)))
        last = studied[-1].slug if studied else None
        passed = min(moment + timedelta(hours=1), data.now) if done else None
        modules.append(
            (
                trainee_id,
                slug,
                last,
                warning,
                started,
                passed,
                module.version if done else None,
                passed,
                module.version if done else None,
            )
        )
    return lessons, modules


LESSON_COLUMNS = ("id", "user_id", "module_slug", "lesson_slug", "studied_at")
MODULE_COLUMNS = (
    "id",
    "user_id",
    "module_slug",
    "last_lesson_slug",
    "warning_accepted_at",
    "started_at",
    "quiz_passed_at",
    "quiz_passed_version",
    "completed_at",
    "completed_version",
)


def write_progress(writer: Writer, data: DataSet, named: NamedAccounts, rng: random.Random) -> int:
    def people() -> Iterator[tuple[int, int, datetime]]:
        for trainee in data.trainees:
            yield trainee.id, trainee.completed, trainee.started_at
        start = data.now - timedelta(days=200)
        yield named.learner, MODULE_ORDER.index(LEARNER_MODULE), start
        yield named.graduate, len(MODULE_ORDER), start
        for quiz_user in named.quiz_users:
            # peer-role done, every lesson of the quiz module studied (below)
            yield quiz_user, 1, start

    lesson_rows: list[tuple] = []
    module_rows: list[tuple] = []
    for user_id, completed, started in people():
        lessons, modules = _progress_rows(data, user_id, completed, started, rng)
        lesson_rows += lessons
        module_rows += modules
    quiz_module = data.modules[QUIZ_MODULE]
    for quiz_user in named.quiz_users:
        moment = data.now - timedelta(days=10)
        lesson_rows += [(quiz_user, QUIZ_MODULE, le.slug, moment) for le in quiz_module.lessons]
        module_rows.append(
            (quiz_user, QUIZ_MODULE, quiz_module.lessons[-1].slug, None, moment)
            + (None, None, None, None)
        )
    count = writer.insert(
        "lesson_progress",
        LESSON_COLUMNS,
        (
            (i, *row)
            for i, row in zip(
                data.ids("lesson_progress", len(lesson_rows)), lesson_rows, strict=True
            )
        ),
    )
    count += writer.insert(
        "module_progress",
        MODULE_COLUMNS,
        (
            (i, *row)
            for i, row in zip(
                data.ids("module_progress", len(module_rows)), module_rows, strict=True
            )
        ),
    )
    return count


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


CERTIFICATE_COLUMNS = (
    "id",
    "code",
    "user_id",
    "holder_name",
    "kind",
    "subject_slug",
    "subject_title",
    "subject_version",
    "issued_at",
    "expires_at",
    "renewed_at",
    "revoked_at",
    "revocation_reason",
    "revoked_by_id",
    "status_index",
)
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
STATUS_LIST_LENGTH = 2**21


def write_certificates(
    writer: Writer, data: DataSet, named: NamedAccounts, rng: random.Random
) -> list[str]:
    """Returns every code, for the verification benchmark to draw from."""
    total = CERTIFICATES + len(MODULE_ORDER) + 1  # and bench-graduate's
    indexes = iter(rng.sample(range(STATUS_LIST_LENGTH), total))
    codes: list[str] = []
    seen: set[str] = set()

    def code() -> str:
        while True:
            value = "".join(rng.choices(CODE_ALPHABET, k=20))
            if value not in seen:
                seen.add(value)
                codes.append(value)
                return value

    def certificate(user_id: int, name: str, kind: str, slug: str, title: str, version: str,
                    issued: datetime) -> tuple:  # fmt: skip
        revoked = issued + timedelta(days=30) if rng.random() < 0.01 else None
        return (
            0,
            code(),
            user_id,
            name,
            kind,
            slug,
            title,
            version,
            issued,
            issued + timedelta(days=730),  # 24 months: some have expired
            None,
            revoked,
            "Benchmark data" if revoked else None,
            None,
            next(indexes),
        )

    def rows() -> Iterator[tuple]:
        for trainee in data.trainees:
            name = f"Peer {trainee.id}"
            for index in range(trainee.completed):
                slug = MODULE_ORDER[index]
                module = data.modules[slug]
                issued = trainee.started_at + timedelta(days=7 * index + 1)
                yield certificate(trainee.id, name, "module", slug, module.title,
                                  module.version, min(issued, data.now))  # fmt: skip
                if slug in trainee.old_certificates:
                    earlier = issued - timedelta(days=400)
                    yield certificate(trainee.id, name, "module", slug, module.title, "0.9",
                                      earlier)  # fmt: skip
            if trainee.completed == len(MODULE_ORDER) and trainee.observed:
                issued = min(trainee.started_at + timedelta(days=40), data.now)
                yield certificate(trainee.id, name, "path", PATH_SLUG, data.path.title,
                                  _path_version(data), issued)  # fmt: skip
        issued = data.now - timedelta(days=60)
        for slug in MODULE_ORDER:
            module = data.modules[slug]
            yield certificate(named.graduate, "Bench graduate", "module", slug, module.title,
                              module.version, issued)  # fmt: skip
        yield certificate(named.graduate, "Bench graduate", "path", PATH_SLUG,
                          data.path.title, _path_version(data), issued)  # fmt: skip

    numbered = ((i, *row[1:]) for i, row in enumerate(rows(), start=1))
    count = writer.insert("certificates", CERTIFICATE_COLUMNS, numbered)
    data.next_id["certificates"] = count + 1
    return codes


def _path_version(data: DataSet) -> str:
    return "+".join(data.modules[slug].version for slug in MODULE_ORDER)


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


# --- the whole data set --------------------------------------------------------------------


def dataset_key(app) -> str:  # noqa: ANN001 - a Flask app
    """What the data depends on: this generator's version, the schema, the content."""
    from academy.core.catalogue import current_catalogue
    from academy.modules.operations.services import migration_revisions

    with app.app_context():
        modules = current_catalogue().modules
        parts = [DATASET_VERSION, f"scale={SCALE}", *sorted(migration_revisions().heads)]
        parts += [f"{slug}={modules[slug].version}" for slug in MODULE_ORDER]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]
    return f"{DATASET_VERSION}-{digest}"


def bench_app(database_url: str, **config):  # noqa: ANN201 - a Flask app
    from academy import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "ACADEMY_CONTENT_DIR": str(ROOT / "content"),
            "ACADEMY_INSTANCE_PATH": str(OUT / "instance"),
            "SECRET_KEY": "benchmark-only-secret-key",
            **config,
        }
    )


def sqlite_url(key: str) -> str:
    return f"sqlite:///{OUT / f'data-{key}.sqlite3'}"


def stored_key(engine) -> str | None:  # noqa: ANN001
    import sqlalchemy as sa

    try:
        with engine.connect() as connection:
            return connection.scalar(sa.text("SELECT key FROM bench_dataset"))
    except sa.exc.DBAPIError:
        return None


def ensure_dataset(database_url: str | None, force: bool = False) -> tuple[str, str]:
    """The database URL holding the current data set (generated if missing) and its key."""
    OUT.mkdir(parents=True, exist_ok=True)
    probe = bench_app(database_url or "sqlite://")
    key = dataset_key(probe)
    url = database_url or sqlite_url(key)
    app = bench_app(url)
    with app.app_context():
        from academy.core.extensions import db

        if not force and stored_key(db.engine) == key:
            return url, key
        generate(app, key)
    return url, key


def _reset(app) -> None:  # noqa: ANN001
    """An empty database at the newest schema, through the real migrations."""
    import logging.config

    import sqlalchemy as sa
    from flask_migrate import upgrade

    from academy.core.extensions import db

    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        db.engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{url.database}{suffix}").unlink(missing_ok=True)
    else:
        metadata = sa.MetaData()
        metadata.reflect(db.engine)
        metadata.drop_all(db.engine)
    # alembic.ini's logging setup would silence our own loggers; keep them.
    original = logging.config.fileConfig
    logging.config.fileConfig = lambda *args, **kwargs: None  # type: ignore[assignment]
    try:
        upgrade(directory=str(ROOT / "migrations"))
    finally:
        logging.config.fileConfig = original


def generate(app, key: str) -> None:  # noqa: ANN001
    from academy.core.catalogue import current_catalogue
    from academy.core.extensions import db

    started = time.perf_counter()
    _reset(app)
    catalogue = current_catalogue()
    rng = random.Random(SEED)  # noqa: S311 - reproducible data, not secrets
    data = plan(catalogue.modules, catalogue.paths[PATH_SLUG], rng, _now())
    writer = Writer(db.engine)
    counts: dict[str, int] = {}

    def step(name: str, function, *args) -> object:  # noqa: ANN001
        begun = time.perf_counter()
        result = function(writer, data, *args)
        print(f"  {name:<22} {time.perf_counter() - begun:6.1f} s", flush=True)
        return result

    print(f"Generating the benchmark data set {key} into {db.engine.url.render_as_string()}")
    named = step("users", write_users, rng)
    counts["progress"] = step("progress", write_progress, named, rng)
    counts["quiz_attempts"] = step("quiz attempts", write_attempts, named, rng)
    codes = step("certificates", write_certificates, named, rng)
    counts["centres"] = step("centres and tasks", write_centres, named, rng)
    counts["records"] = step("practice, pauses, log", write_trainee_records, named, codes, rng)
    begun = time.perf_counter()
    if writer.dialect == "postgresql":
        writer.execute("SET session_replication_role = origin")
        for table in (name for name, t in writer.tables.items() if "id" in t.columns):
            writer.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        writer.connection.autocommit = True
        writer.connection.cursor().execute("VACUUM ANALYZE")
    else:
        writer.execute("ANALYZE")
        # Fold the write-ahead log into the file: the cached file is then self-contained.
        writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    writer.execute("CREATE TABLE IF NOT EXISTS bench_dataset (key VARCHAR(64) NOT NULL)")
    writer.execute("DELETE FROM bench_dataset")
    writer.execute(f"INSERT INTO bench_dataset (key) VALUES ('{key}')")  # noqa: S608
    writer.close()
    print(f"  {'analyse':<22} {time.perf_counter() - begun:6.1f} s")
    print(f"Data set ready in {time.perf_counter() - started:.0f} s.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--force", action="store_true", help="generate even if cached")
    args = parser.parse_args()
    url, key = ensure_dataset(args.database_url, args.force)
    print(f"{key}: {url}")


if __name__ == "__main__":
    main()
