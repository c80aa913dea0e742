"""A way back in, the rules: who may make a reset link for whom, single use, expiry, only
a hash stored, every session ended; an admin's second-factor reset; audit, export, pruning."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from academy.core import clock, data_rights
from academy.core.config import config_from_environment
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.modules.accounts import recovery, two_factor
from academy.modules.accounts import services as accounts
from academy.modules.accounts.models import AccountRecovery, Role
from academy.modules.centres import coordinators, membership
from tests.conftest import PASSWORD
from tests.races import at_once, both_pass_the_check, race_app

NEW_PASSWORD = "a new password for spring"


@pytest.fixture
def people(make_user):
    """A trainee sharing with centre A; coordinators of centres A and B; staff."""
    trainee = make_user(Role.TRAINEE, "trainee-one", "Ayo")
    coordinator_a = make_user(Role.CENTRE, "coordinator-a")
    coordinator_b = make_user(Role.CENTRE, "coordinator-b")
    centre_a = coordinators.create_centre("Centre A", coordinator_a)
    coordinators.create_centre("Centre B", coordinator_b)
    membership.join_centre(trainee, centre_a.invite_code, consent=True)
    db.session.commit()
    return {
        "trainee": trainee,
        "other_trainee": make_user(Role.TRAINEE, "trainee-two"),
        "trainer": make_user(Role.TRAINER, "trainer-one"),
        "other_trainer": make_user(Role.TRAINER, "trainer-two"),
        "coordinator_a": coordinator_a,
        "coordinator_b": coordinator_b,
        "centre_a": centre_a,
        "admin": make_user(Role.ADMIN, "admin-one"),
        "other_admin": make_user(Role.ADMIN, "admin-two"),
    }


@pytest.mark.parametrize(
    ("issuer", "holder", "allowed"),
    [
        ("trainer", "trainee", True),
        ("coordinator_a", "trainee", True),  # the trainee shares with centre A
        ("admin", "trainee", True),
        ("admin", "trainer", True),
        ("admin", "other_admin", True),
        ("coordinator_b", "trainee", False),  # another centre
        ("coordinator_a", "other_trainee", False),  # shares with no centre
        ("other_trainee", "trainee", False),  # another trainee
        ("trainee", "trainee", False),
        ("trainer", "admin", False),  # a trainer for an admin
        ("trainer", "other_trainer", False),
        ("coordinator_a", "coordinator_b", False),
        ("admin", "admin", False),  # one's own password is changed on the account page
    ],
)
def test_who_may_make_a_reset_link_for_whom(people, issuer, holder, allowed):
    by, user = people[issuer], people[holder]
    assert recovery.may_issue_reset_link(by, user) is allowed
    if allowed:
        link, token = recovery.issue_reset_link(by, user)
        assert link.user_id == user.id and link.issued_by_id == by.id and token
    else:
        with pytest.raises(NotFound):
            recovery.issue_reset_link(by, user)
        with pytest.raises(NotFound):
            recovery.reset_target(by, user.id)
        assert db.session.scalar(select(AccountRecovery)) is None


def test_a_coordinator_loses_the_right_when_the_trainee_withdraws(people):
    trainee, coordinator = people["trainee"], people["coordinator_a"]
    membership.withdraw_consent(trainee, people["centre_a"].id)
    db.session.commit()
    assert not recovery.may_issue_reset_link(coordinator, trainee)


def test_an_unknown_id_and_a_forbidden_one_are_the_same_404(people):
    coordinator = people["coordinator_b"]
    with pytest.raises(NotFound) as unknown:
        recovery.reset_target(coordinator, 999_999)
    with pytest.raises(NotFound) as forbidden:
        recovery.reset_target(coordinator, people["trainee"].id)
    assert unknown.value.description == forbidden.value.description


def test_only_a_hash_is_stored_and_the_link_expires_after_the_configured_hours(app, people):
    app.config["ACADEMY_RESET_LINK_HOURS"] = 48
    link, token = recovery.issue_reset_link(people["trainer"], people["trainee"])
    db.session.commit()
    assert len(token) >= 43  # 32 random bytes
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = db.session.execute(select(AccountRecovery.__table__)).one()._asdict()
    assert token not in {str(value) for value in stored.values()}
    assert link.expires_at - link.created_at == timedelta(hours=48)
    assert link.kind == "password" and link.used_at is None


def test_the_default_is_72_hours(people):
    link, _ = recovery.issue_reset_link(people["trainer"], people["trainee"])
    assert link.expires_at - link.created_at == timedelta(hours=72)


def test_the_hours_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("ACADEMY_RESET_LINK_HOURS", "24")
    assert config_from_environment()["ACADEMY_RESET_LINK_HOURS"] == 24
    monkeypatch.setenv("ACADEMY_RESET_LINK_HOURS", "three days")
    with pytest.raises(ValueError, match="ACADEMY_RESET_LINK_HOURS must be a whole number"):
        config_from_environment()


def test_the_link_sets_the_password_ends_every_session_and_is_spent(people):
    trainee = people["trainee"]
    trainee.failed_sign_ins, trainee.locked_until = 7, clock.utcnow() + timedelta(hours=1)
    nonce = trainee.session_nonce
    _, token = recovery.issue_reset_link(people["trainer"], trainee)
    db.session.commit()

    user = recovery.reset_password(token, NEW_PASSWORD)
    db.session.commit()

    assert user.id == trainee.id
    assert user.session_nonce != nonce  # every session of the account ends
    assert user.password_hash.startswith("$argon2id$")
    assert PasswordHasher().verify(user.password_hash, NEW_PASSWORD)
    assert (user.failed_sign_ins, user.locked_until) == (0, None)
    assert accounts.authenticate(trainee.username, NEW_PASSWORD) == user
    assert accounts.authenticate(trainee.username, PASSWORD) is None
    assert db.session.scalar(select(AccountRecovery.used_at)) is not None
    with pytest.raises(recovery.UnusableResetLink):
        recovery.reset_password(token, "yet another password here")


def test_the_password_rules_of_registration_apply_and_a_refusal_keeps_the_link(people):
    _, token = recovery.issue_reset_link(people["trainer"], people["trainee"])
    db.session.commit()
    with pytest.raises(UserError, match="at least 10 characters"):
        recovery.reset_password(token, "short")
    db.session.rollback()
    assert recovery.check_reset_link(token).used_at is None
    recovery.reset_password(token, NEW_PASSWORD)  # still works


def test_unknown_used_expired_and_replaced_links_are_refused_alike(people):
    trainer, trainee = people["trainer"], people["trainee"]
    _, replaced = recovery.issue_reset_link(trainer, trainee)
    _, current = recovery.issue_reset_link(people["coordinator_a"], trainee)
    db.session.commit()
    messages = set()
    for token in (replaced, "not-a-token", "", "x" * 500):
        with pytest.raises(recovery.UnusableResetLink) as refused:
            recovery.check_reset_link(token)
        messages.add(str(refused.value))
    recovery.check_reset_link(current)  # the newest one works
    clock.travel(timedelta(hours=72, seconds=1))
    with pytest.raises(recovery.UnusableResetLink) as expired:
        recovery.reset_password(current, NEW_PASSWORD)
    messages.add(str(expired.value))
    assert len(messages) == 1
    assert "ask your trainer or your centre's coordinator for a new one" in messages.pop()


def test_the_audit_shows_a_used_link_as_used(people):
    trainee = people["trainee"]
    _, token = recovery.issue_reset_link(people["trainer"], trainee)
    db.session.commit()
    recovery.reset_password(token, NEW_PASSWORD)
    db.session.commit()
    assert [r.state for r in recovery.recent_recoveries()] == ["used"]


# --- the second factor ----------------------------------------------------------------------


def _with_second_factor(user):
    secret = two_factor.begin_enrolment(user)
    two_factor.confirm_enrolment(user, two_factor.code_for_step(secret, two_factor.current_step()))
    db.session.commit()


def test_an_admin_resets_a_lost_second_factor_and_it_is_recorded(people):
    trainer, admin = people["trainer"], people["admin"]
    _with_second_factor(trainer)
    nonce = trainer.session_nonce
    recovery.reset_second_factor(admin, trainer)
    db.session.commit()
    assert not two_factor.is_enabled(trainer)
    assert (trainer.totp_secret, trainer.totp_enabled_at) == (None, None)
    assert trainer.session_nonce != nonce
    entry = recovery.recent_recoveries()[0]
    assert (entry.kind, entry.username, entry.issued_by, entry.state) == (
        "second_factor",
        "trainer-one",
        "admin-one",
        "done",
    )
    with pytest.raises(UserError, match="no two-step sign-in to reset"):
        recovery.reset_second_factor(admin, trainer)


@pytest.mark.parametrize("issuer", ["trainer", "coordinator_a", "trainee"])
def test_only_admins_reset_a_second_factor(people, issuer):
    _with_second_factor(people["other_trainer"])
    with pytest.raises(NotFound):
        recovery.second_factor_target(people[issuer], people["other_trainer"].id)
    with pytest.raises(NotFound):
        recovery.reset_second_factor(people[issuer], people["other_trainer"])
    assert two_factor.is_enabled(people["other_trainer"])


def test_an_admin_does_not_reset_their_own_second_factor(people):
    admin = people["admin"]
    _with_second_factor(admin)
    with pytest.raises(NotFound):
        recovery.second_factor_target(admin, admin.id)


# --- audit, export, pruning -----------------------------------------------------------------


def test_the_audit_names_who_gave_what_to_whom_newest_first(people):
    recovery.issue_reset_link(people["trainer"], people["trainee"])
    clock.travel(timedelta(minutes=1))
    recovery.issue_reset_link(people["coordinator_a"], people["trainee"])
    db.session.commit()
    entries = recovery.recent_recoveries()
    assert [(e.issued_by, e.username, e.state) for e in entries] == [
        ("coordinator-a", "trainee-one", "open"),
        ("trainer-one", "trainee-one", "expired"),  # replaced by the newer link
    ]
    db.session.delete(people["trainer"])
    db.session.commit()
    assert recovery.recent_recoveries()[1].issued_by is None  # the issuer's account is gone


def test_the_holder_s_export_has_their_recoveries_without_the_hash(people):
    link, token = recovery.issue_reset_link(people["trainer"], people["trainee"])
    db.session.commit()
    exported = data_rights.export_user_data(people["trainee"].id)["account_recoveries"]
    assert exported == [
        {
            "kind": "password",
            "created_at": link.created_at.isoformat(),
            "expires_at": link.expires_at.isoformat(),
            "used_at": None,
        }
    ]
    assert link.token_hash not in str(exported) and token not in str(exported)


def test_recoveries_are_pruned_after_the_audit_log_retention(app, people):
    _, token = recovery.issue_reset_link(people["trainer"], people["trainee"])
    recovery.reset_password(token, NEW_PASSWORD)
    recovery.issue_reset_link(people["trainer"], people["other_trainee"])  # left unused
    db.session.commit()
    assert recovery.prune_recoveries() == 0
    clock.travel(timedelta(days=app.config["ACADEMY_AUDIT_LOG_DAYS"], hours=1))
    assert recovery.prune_recoveries(dry_run=True) == 2
    assert data_rights.prune()["reset links and second-factor resets past retention"] == 2
    assert db.session.scalar(select(AccountRecovery)) is None


def test_deleting_the_holder_deletes_their_recoveries(people):
    from academy.modules.accounts import privacy

    recovery.issue_reset_link(people["trainer"], people["trainee"])
    db.session.commit()
    privacy.delete_account(people["trainee"])
    db.session.commit()
    assert db.session.scalar(select(AccountRecovery)) is None


def test_two_simultaneous_uses_of_one_link_set_one_password(tmp_path, monkeypatch):
    """Both requests pass the check; the conditional UPDATE lets only one through."""
    with race_app(tmp_path) as app:
        with app.app_context():
            trainer = accounts.create_user("trainer-race", PASSWORD, Role.TRAINER)
            trainee = accounts.create_user("trainee-race", PASSWORD, Role.TRAINEE)
            _, token = recovery.issue_reset_link(trainer, trainee)
            db.session.commit()
            db.session.remove()
        both_pass_the_check(monkeypatch, recovery, "check_reset_link")

        def set_password(password: str) -> str:
            recovery.reset_password(token, password)
            return "set"

        passwords = ("first racer password", "second racer password")
        outcomes = at_once(app, set_password, passwords)

        assert sorted(outcomes.values()) == ["UnusableResetLink", "set"]
        winner = next(password for password, outcome in outcomes.items() if outcome == "set")
        with app.app_context():
            assert accounts.authenticate("trainee-race", winner) is not None
