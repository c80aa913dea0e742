"""The seeded world the walk visits: every role's account, and the objects whose owners
and non-owners the table tells apart (a certificate, quiz attempts, two centres with a
task, tokens, invitations and a password reset link)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from academy.core.catalogue import current_catalogue
from academy.core.clock import utcnow
from academy.core.extensions import db
from academy.modules.accounts import invitations, recovery, two_factor
from academy.modules.accounts import services as accounts
from academy.modules.accounts.models import Role, User
from academy.modules.centres import api_tokens, coordinators, membership, tasks
from academy.modules.certificates.models import Certificate
from academy.modules.quizzes import services as quizzes
from academy.modules.quizzes.models import QuizAttempt
from access_control.table import OWNER_NAME, USERNAMES
from tests import complete_module
from tests.conftest import PASSWORD


@dataclass
@dataclass
class World:
    users: dict[str, int]  # role -> user id (no entry for anonymous)
    spare_id: int  # an inactive trainee, for the admins' deletion pages
    centre_a_id: int
    centre_b_id: int
    task_id: int  # centre A's
    tokens: dict[str, str]  # coordinator role -> its centre's API token
    token_a_id: int
    invitation_token: str  # coordinator A's, to register with
    trainer_invitation_id: int  # to revoke
    reset_token: str  # the admin's reset link for the owner
    certificate_id: int
    certificate_code: str
    open_attempt_id: int
    submitted_attempt_id: int
    totp_secrets: dict[str, str] = field(default_factory=dict)  # filled during the walk


def _user(role: Role, username: str, display_name: str) -> User:
    return accounts.create_user(username, PASSWORD, role, display_name)


def seed_world() -> World:
    """Every role's account and the objects the walk visits (a fresh database)."""
    owner = _user(Role.TRAINEE, USERNAMES["owner"], OWNER_NAME)
    other_trainee = _user(Role.TRAINEE, USERNAMES["other_trainee"], "Other Bea")
    trainer = _user(Role.TRAINER, USERNAMES["trainer"], "Trainer Kim")
    coordinator = _user(Role.CENTRE, USERNAMES["coordinator"], "Coordinator A")
    other_coordinator = _user(Role.CENTRE, USERNAMES["other_coordinator"], "Coordinator B")
    admin = _user(Role.ADMIN, USERNAMES["admin"], "Admin Lee")
    spare = _user(Role.TRAINEE, "spare-trainee", "Spare")
    spare.last_active_at = utcnow() - timedelta(days=400)  # inactive: admins may delete it
    centre_a = coordinators.create_centre("Centre A", coordinator)
    centre_b = coordinators.create_centre("Centre B", other_coordinator)
    db.session.commit()

    complete_module(owner.id, "basics")  # a submitted attempt and a module certificate
    submitted = db.session.scalar(select(QuizAttempt).filter_by(user_id=owner.id))
    opened = quizzes.open_attempt(owner.id, current_catalogue().modules["basics"])
    membership.join_centre(owner, centre_a.invite_code, consent=True)
    task = tasks.save_task(centre_a, "Lead a group session", "", ["module:basics"])
    token_a, plain_a = api_tokens.create_token(centre_a, "Rota A", coordinator)
    _, plain_b = api_tokens.create_token(centre_b, "Rota B", other_coordinator)
    _, invitation_token = invitations.create_invitation(coordinator, Role.TRAINEE)
    trainer_invitation, _ = invitations.create_invitation(trainer, Role.TRAINEE)
    _, reset_token = recovery.issue_reset_link(admin, owner)
    # A set-up waiting for its first code, so the set-up page and QR code exist in any order.
    for user in (trainer, coordinator, other_coordinator, admin):
        two_factor.begin_enrolment(user)
    certificate = db.session.scalar(select(Certificate).filter_by(user_id=owner.id))
    db.session.commit()
    return World(
        users={
            "owner": owner.id,
            "other_trainee": other_trainee.id,
            "trainer": trainer.id,
            "coordinator": coordinator.id,
            "other_coordinator": other_coordinator.id,
            "admin": admin.id,
        },
        spare_id=spare.id,
        centre_a_id=centre_a.id,
        centre_b_id=centre_b.id,
        task_id=task.id,
        tokens={"coordinator": plain_a, "other_coordinator": plain_b},
        token_a_id=token_a.id,
        invitation_token=invitation_token,
        trainer_invitation_id=trainer_invitation.id,
        reset_token=reset_token,
        certificate_id=certificate.id,
        certificate_code=certificate.code,
        open_attempt_id=opened.id,
        submitted_attempt_id=submitted.id,
    )


def read_now(query: Callable[[], object]) -> object:
    """Read the database as it is now (requests ran in their own sessions)."""
    db.session.expire_all()
    try:
        return query()
    finally:
        db.session.rollback()
