"""Sign-in throttling: per-account lockout with back-off, per-address rate limits, and
refusals that look the same whether or not a sign-in name exists."""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import event

from academy.core import clock
from academy.core.extensions import db
from academy.modules.accounts import services
from academy.modules.accounts.models import User
from tests.conftest import PASSWORD

WRONG_CREDENTIALS = "The sign-in name or the password is not right."
TOO_MANY = "Too many attempts. Please wait a little and try again."
# The lockout tests make many attempts from one address; keep the address limit out of it.
NO_ADDRESS_LIMIT = {"ACADEMY_LIMIT_SIGN_IN": "1000 per minute"}


def post_sign_in(client, username: str, password: str, **kwargs):
    return client.post("/sign-in", data={"username": username, "password": password}, **kwargs)


def fail_times(client, username: str, times: int) -> None:
    for _ in range(times):
        assert post_sign_in(client, username, "not the password").status_code == 400


def reload(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def locked_for(user: User) -> float:
    """Seconds until the lock ends, by the test clock."""
    assert user.locked_until is not None
    return (user.locked_until - clock.utcnow()).total_seconds()


# --- the back-off schedule ---------------------------------------------------------


@pytest.mark.parametrize(
    ("failures", "minutes"),
    [(1, None), (4, None), (5, 1), (6, 2), (7, 4), (8, 8), (10, 32), (11, 60), (500, 60)],
)
def test_the_lock_starts_at_the_fifth_failure_and_doubles_up_to_an_hour(failures, minutes):
    expected = None if minutes is None else timedelta(minutes=minutes)
    assert services.lock_duration(failures) == expected


# --- lockout through the sign-in page ----------------------------------------------


@pytest.mark.parametrize("app_config", [NO_ADDRESS_LIMIT], indirect=True)
def test_five_wrong_passwords_lock_the_account_for_a_minute(client, trainee):
    fail_times(client, "trainee-one", 4)
    assert reload(trainee).locked_until is None

    fail_times(client, "trainee-one", 1)

    user = reload(trainee)
    assert user.failed_sign_ins == 5
    assert 55 < locked_for(user) <= 60
    # even the right password is refused now, with the usual message
    locked = post_sign_in(client, "trainee-one", PASSWORD)
    assert locked.status_code == 400
    assert WRONG_CREDENTIALS in locked.text


@pytest.mark.parametrize("app_config", [NO_ADDRESS_LIMIT], indirect=True)
def test_the_right_password_works_again_after_the_lock_and_resets_the_count(client, trainee):
    fail_times(client, "trainee-one", 5)

    clock.travel(timedelta(minutes=1, seconds=1))
    response = post_sign_in(client, "trainee-one", PASSWORD)

    assert response.status_code == 302
    user = reload(trainee)
    assert (user.failed_sign_ins, user.locked_until) == (0, None)


@pytest.mark.parametrize("app_config", [NO_ADDRESS_LIMIT], indirect=True)
def test_each_failure_after_a_lock_doubles_the_next_lock(client, trainee):
    fail_times(client, "trainee-one", 5)
    clock.travel(timedelta(minutes=1, seconds=1))

    fail_times(client, "trainee-one", 1)

    user = reload(trainee)
    assert user.failed_sign_ins == 6
    assert 115 < locked_for(user) <= 120


@pytest.mark.parametrize("app_config", [NO_ADDRESS_LIMIT], indirect=True)
def test_attempts_during_a_lock_are_not_counted_and_do_not_lengthen_it(client, trainee):
    fail_times(client, "trainee-one", 5)
    locked_until = reload(trainee).locked_until

    fail_times(client, "trainee-one", 3)
    post_sign_in(client, "trainee-one", PASSWORD)

    user = reload(trainee)
    assert (user.failed_sign_ins, user.locked_until) == (5, locked_until)


@pytest.mark.parametrize("app_config", [NO_ADDRESS_LIMIT], indirect=True)
def test_a_locked_account_answers_exactly_like_an_unknown_name(client, trainee):
    fail_times(client, "trainee-one", 5)

    locked = post_sign_in(client, "trainee-one", PASSWORD)
    unknown = post_sign_in(client, "nobody-here", PASSWORD)

    assert locked.status_code == unknown.status_code == 400
    assert locked.text.replace("trainee-one", "NAME") == unknown.text.replace("nobody-here", "NAME")


@pytest.mark.parametrize("app_config", [NO_ADDRESS_LIMIT], indirect=True)
def test_failures_on_one_account_do_not_lock_another(client, trainee, make_user):
    other = make_user(username="other-peer")
    fail_times(client, "trainee-one", 6)

    assert post_sign_in(client, other.username, PASSWORD).status_code == 302


def test_an_unknown_name_creates_no_account_and_no_lock(app, client, trainee):
    fail_times(client, "nobody-here", 6)

    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1
    assert reload(trainee).failed_sign_ins == 0


# --- the same work for every refusal -------------------------------------------------


@pytest.fixture
def verify_calls(monkeypatch) -> list[str]:
    """Every argon2 verification, by the hash it checked against."""
    calls: list[str] = []
    original = PasswordHasher.verify

    def spy(self, password_hash, password):
        calls.append(password_hash)
        return original(self, password_hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", spy)
    return calls


@pytest.fixture
def statements(app):
    """The SQL statements the database receives (their text, without parameters)."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


def attempt(username: str, password: str, statements: list[str]) -> list[str]:
    """Statements sent by one service-level sign-in attempt and its commit."""
    db.session.expire_all()
    statements.clear()
    assert services.authenticate(username, password) is None
    db.session.commit()
    return list(statements)


def test_unknown_name_wrong_password_and_locked_account_do_the_same_work(
    app, trainee, verify_calls, statements
):
    unknown = attempt("nobody-here", PASSWORD, statements)
    wrong = attempt("trainee-one", "not the password", statements)
    for _ in range(4):
        attempt("trainee-one", "not the password", statements)
    locked = attempt("trainee-one", PASSWORD, statements)

    # one password check on every path, and the same SQL statements in the same order
    assert len(verify_calls) == 7
    assert verify_calls[0] != trainee.password_hash  # the dummy hash
    assert verify_calls[1:] == [trainee.password_hash] * 6
    assert unknown == wrong == locked
    kinds = [statement.split()[0] for statement in unknown]
    assert "UPDATE" in kinds
    assert any(s.startswith("UPDATE users SET failed_sign_ins") for s in unknown)


@pytest.mark.parametrize("app_config", [NO_ADDRESS_LIMIT], indirect=True)
def test_unknown_name_and_wrong_password_take_about_the_same_time(client, trainee):
    """With the test suite's cheap hashing, what remains is the database work (on
    PostgreSQL a commit that changed a row would wait for the disk) and the page."""
    times: dict[str, list[float]] = {"nobody-here": [], "trainee-one": []}
    for round_ in range(22):  # alternate, so a change in machine load hits both alike
        for name, bucket in times.items():
            started = time.perf_counter()
            response = post_sign_in(client, name, "not the password")
            if round_ >= 2:  # the first rounds warm caches (dummy hash, templates)
                bucket.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 400
    # the known account locks after five failures: a lock must not change the time either
    unknown, wrong = (statistics.median(bucket) for bucket in times.values())

    assert abs(unknown - wrong) < max(3.0, 0.3 * max(unknown, wrong)), (unknown, wrong)
