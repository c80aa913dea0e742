"""The users table: the generated trainees, coordinators and trainers, and the named
accounts the benchmark signs in with."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from generate_plan import DataSet
from generate_settings import BENCH_PASSWORD, CENTRES, QUIZ_USERS, TRAINEES, TRAINERS
from generate_writer import Writer


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
