"""Invitations: only a hash stored, who may invite whom, single use, expiry, pruning."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from academy.core import clock, data_rights
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.modules.accounts import invitations
from academy.modules.accounts import services as accounts
from academy.modules.accounts.models import Invitation, Role, User
from academy.modules.centres import coordinators
from tests.conftest import PASSWORD
from tests.races import at_once, both_pass_the_check, race_app


@pytest.fixture
def coordinator(make_user):
    return make_user(Role.CENTRE, "coordinator-one", "Coordinator")


def test_only_a_hash_of_the_token_is_stored(trainer):
    invitation, token = invitations.create_invitation(trainer, Role.TRAINEE)
    db.session.commit()

    assert len(token) >= 43  # 32 random bytes
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = db.session.execute(select(Invitation.__table__)).one()._asdict()
    assert token not in {str(value) for value in stored.values()}
    assert invitation.created_by_id == trainer.id
    assert invitation.expires_at - invitation.created_at == timedelta(days=14)


@pytest.mark.parametrize(
    ("inviter_role", "allowed"),
    [
        (Role.TRAINEE, set()),
        (Role.TRAINER, {Role.TRAINEE}),
        (Role.ADMIN, {Role.TRAINEE, Role.TRAINER, Role.CENTRE, Role.ADMIN}),
    ],
)
def test_who_may_invite_which_role(make_user, inviter_role, allowed):
    inviter = make_user(inviter_role)
    for role in Role:
        if role in allowed:
            invitation, _ = invitations.create_invitation(inviter, role)
            assert invitation.role == role.value
        else:
            with pytest.raises(invitations.InvitationNotAllowed):
                invitations.create_invitation(inviter, role)


def test_a_coordinator_invites_trainees_for_their_own_centre_only(make_user, coordinator):
    with pytest.raises(invitations.InvitationNotAllowed, match="not linked to a centre"):
        invitations.create_invitation(coordinator, Role.TRAINEE)

    centre = coordinators.create_centre("Centre A", coordinator)
    other = coordinators.create_centre("Centre B", make_user(Role.CENTRE))
    invitation, _ = invitations.create_invitation(coordinator, Role.TRAINEE)
    assert invitation.centre_id == centre.id
    with pytest.raises(invitations.InvitationNotAllowed, match="own centre"):
        invitations.create_invitation(coordinator, Role.TRAINEE, centre_id=other.id)
    with pytest.raises(invitations.InvitationNotAllowed):
        invitations.create_invitation(coordinator, Role.TRAINER)


def test_a_trainer_cannot_invite_for_a_centre(make_user, trainer):
    centre = coordinators.create_centre("Centre A", make_user(Role.CENTRE))
    with pytest.raises(invitations.InvitationNotAllowed):
        invitations.create_invitation(trainer, Role.TRAINEE, centre_id=centre.id)


def test_validity_is_between_one_and_ninety_days(trainer):
    for days in (0, 91):
        with pytest.raises(invitations.InvitationError, match="1 to 90 days"):
            invitations.create_invitation(trainer, Role.TRAINEE, days_valid=days)


def test_redeeming_creates_the_account_with_the_invited_role(admin):
    invitation, token = invitations.create_invitation(admin, Role.TRAINER)
    db.session.commit()

    user = invitations.redeem_invitation(
        token, "new-trainer", PASSWORD, "  Robin  ", email=" robin@example.org "
    )
    db.session.commit()

    assert (user.username, user.display_name, user.role) == ("new-trainer", "Robin", "trainer")
    assert user.email == "robin@example.org"
    assert accounts.authenticate("new-trainer", PASSWORD) == user
    db.session.refresh(invitation)
    assert invitation.used_by_id == user.id and invitation.used_at is not None


def test_the_email_address_is_optional_and_checked(trainer):
    _, token = invitations.create_invitation(trainer, Role.TRAINEE)
    with pytest.raises(UserError, match="e-mail"):
        invitations.redeem_invitation(token, "someone", PASSWORD, "Someone", email="not an address")
    user = invitations.redeem_invitation(token, "someone", PASSWORD, "Someone", email="")
    assert user.email is None


def test_an_invitation_works_once(trainer):
    _, token = invitations.create_invitation(trainer, Role.TRAINEE)
    invitations.redeem_invitation(token, "first-person", PASSWORD, "First")
    db.session.commit()

    with pytest.raises(invitations.UsedInvitation, match="already been used"):
        invitations.check_invitation(token)
    with pytest.raises(invitations.UsedInvitation):
        invitations.redeem_invitation(token, "second-person", PASSWORD, "Second")
    assert accounts.find_user("second-person") is None


def test_unknown_and_expired_invitations_are_refused_with_a_clear_message(trainer):
    with pytest.raises(invitations.UnknownInvitation, match="not valid"):
        invitations.check_invitation("made-up-token")
    with pytest.raises(invitations.UnknownInvitation):
        invitations.check_invitation("x" * 5000)
    _, token = invitations.create_invitation(trainer, Role.TRAINEE, days_valid=2)
    db.session.commit()

    clock.travel(timedelta(days=1, hours=23))
    assert invitations.check_invitation(token)
    clock.travel(timedelta(hours=2))
    with pytest.raises(invitations.ExpiredInvitation, match="expired"):
        invitations.redeem_invitation(token, "late-person", PASSWORD, "Late")
    assert accounts.find_user("late-person") is None


def test_a_failed_registration_leaves_the_invitation_usable(trainer, make_user):
    make_user(Role.TRAINEE, "taken-name")
    invitation, token = invitations.create_invitation(trainer, Role.TRAINEE)
    db.session.commit()

    with pytest.raises(UserError, match="already taken"):
        invitations.redeem_invitation(token, "taken-name", PASSWORD, "Someone")
    with pytest.raises(UserError, match="at least"):
        invitations.redeem_invitation(token, "fresh-name", "short", "Someone")
    db.session.rollback()

    db.session.refresh(invitation)
    assert invitation.used_at is None
    assert invitations.redeem_invitation(token, "fresh-name", PASSWORD, "Someone").id


def test_two_simultaneous_redemptions_create_one_account(tmp_path, monkeypatch):
    """Two requests both pass the check; the conditional UPDATE lets only one through."""
    with race_app(tmp_path) as app:
        with app.app_context():
            trainer = accounts.create_user("trainer-race", PASSWORD, Role.TRAINER)
            _, token = invitations.create_invitation(trainer, Role.TRAINEE)
            db.session.commit()
            db.session.remove()
        both_pass_the_check(monkeypatch, invitations, "check_invitation")

        def register(name: str) -> str:
            invitations.redeem_invitation(token, name, PASSWORD, name)
            return "created"

        outcomes = at_once(app, register, ("racer-a", "racer-b"))

        assert sorted(outcomes.values()) == ["UsedInvitation", "created"]
        with app.app_context():
            names = set(db.session.scalars(select(User.username).where(User.role == "trainee")))
            winner = next(name for name, outcome in outcomes.items() if outcome == "created")
            assert names == {winner}
            invitation = db.session.scalar(select(Invitation))
            assert invitation.used_by_id == accounts.find_user(winner).id


def test_open_invitations_and_revoking(trainer, admin, make_user):
    mine, _ = invitations.create_invitation(trainer, Role.TRAINEE)
    other_trainer = make_user(Role.TRAINER)
    theirs, _ = invitations.create_invitation(other_trainer, Role.TRAINEE)
    _, used_token = invitations.create_invitation(trainer, Role.TRAINEE)
    invitations.redeem_invitation(used_token, "used-it", PASSWORD, "Used")
    db.session.commit()

    assert invitations.open_invitations(trainer) == [mine]
    assert set(invitations.open_invitations(admin)) == {mine, theirs}

    from werkzeug.exceptions import NotFound

    with pytest.raises(NotFound):
        invitations.revoke_invitation(trainer, theirs.id)
    invitations.revoke_invitation(trainer, mine.id)
    invitations.revoke_invitation(admin, theirs.id)
    db.session.commit()
    assert invitations.open_invitations(admin) == []


def test_prune_deletes_expired_unused_and_old_used_invitations(app, trainer):
    _, expiring = invitations.create_invitation(trainer, Role.TRAINEE, days_valid=1)
    _, used = invitations.create_invitation(trainer, Role.TRAINEE, days_valid=1)
    invitations.redeem_invitation(used, "used-it", PASSWORD, "Used")
    db.session.commit()
    clock.travel(timedelta(days=2))
    _, fresh = invitations.create_invitation(trainer, Role.TRAINEE)
    db.session.commit()

    assert invitations.prune_invitations(dry_run=True) == 1  # the expired unused one
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 3
    assert invitations.prune_invitations() == 1
    with pytest.raises(invitations.UnknownInvitation):
        invitations.check_invitation(expiring)
    assert invitations.check_invitation(fresh)

    clock.travel(timedelta(days=app.config["ACADEMY_AUDIT_LOG_DAYS"]))
    counts = data_rights.prune()
    assert counts["invitations expired unused, or used past retention"] == 2
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    assert accounts.find_user("used-it") is not None  # the account itself stays


def test_cli_prints_a_working_registration_link(app):
    app.config["ACADEMY_BASE_URL"] = "https://academy.example.org/"
    result = app.test_cli_runner().invoke(
        args=["users", "invite", "--role", "trainer", "--days", "3"]
    )

    assert result.exit_code == 0, result.output
    link = result.stdout.strip()
    assert link.startswith("https://academy.example.org/register/")
    assert "copy it now" in result.output
    invitation = invitations.check_invitation(link.rsplit("/", 1)[1])
    assert invitation.role == "trainer" and invitation.created_by_id is None
    assert invitation.expires_at - invitation.created_at == timedelta(days=3)


def test_cli_uses_the_local_address_without_a_base_url(app):
    app.config.pop("ACADEMY_BASE_URL", None)
    result = app.test_cli_runner().invoke(args=["users", "invite"])
    assert result.stdout.startswith("http://127.0.0.1:5000/register/")
