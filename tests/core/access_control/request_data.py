"""What each request of the walk needs: URL arguments, minimal valid form data (so a
role past the access check succeeds), and the order and clients of the requests that
take something away."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from academy.core.extensions import db
from academy.modules.accounts import two_factor
from academy.modules.accounts.models import User
from academy.modules.centres.models import Centre
from academy.modules.credentials import keys
from academy.modules.quizzes.models import QuizAttempt
from access_control.table import USERNAMES
from access_control.world import World, read_now
from tests import as_form, right_answers
from tests.conftest import PASSWORD

URL_ARGS: dict[str, Callable[[World], dict]] = {
    "static": lambda w: {"filename": "css/app.css"},
    "registration.revoke_invitation": lambda w: {"invitation_id": w.trainer_invitation_id},
    "registration.register": lambda w: {"token": w.invitation_token},
    "privacy.admin_delete_page": lambda w: {"user_id": w.spare_id},
    "recovery.reset_link_page": lambda w: {"user_id": w.users["owner"]},
    "recovery.create_reset_link": lambda w: {"user_id": w.users["owner"]},
    "recovery.reset_password": lambda w: {"token": w.reset_token},
    # the trainer's set-up, begun and never finished
    "recovery.second_factor_page": lambda w: {"user_id": w.users["trainer"]},
    "recovery.reset_second_factor": lambda w: {"user_id": w.users["trainer"]},
    "privacy.admin_delete": lambda w: {"user_id": w.spare_id},
    "courses.module": lambda w: {"slug": "basics"},
    "courses.lesson": lambda w: {"slug": "basics", "lesson_slug": "first-steps"},
    "courses.mark_studied": lambda w: {"slug": "basics", "lesson_slug": "first-steps"},
    "courses.pause": lambda w: {"slug": "basics", "lesson_slug": "first-steps"},
    "courses.content_warning": lambda w: {"slug": "advanced"},
    "courses.accept_warning": lambda w: {"slug": "advanced"},
    "quizzes.take": lambda w: {"slug": "basics"},
    "quizzes.submit": lambda w: {"attempt_id": w.open_attempt_id},
    "quizzes.result": lambda w: {"attempt_id": w.submitted_attempt_id},
    "certificates.verify_link": lambda w: {"code": w.certificate_code},
    "certificate_pdf.download": lambda w: {"code": w.certificate_code},
    "credentials.download": lambda w: {"code": w.certificate_code},
    "credentials.status": lambda w: {"key": keys.load_keyring().current.public_key_multibase},
    "trainer.trainee": lambda w: {"user_id": w.users["owner"]},
    "trainer.observe": lambda w: {
        "user_id": w.users["owner"],
        "path_slug": "fixture-practice",
        "scenario_id": "first-meeting",
    },
    "trainer.revoke": lambda w: {"certificate_id": w.certificate_id},
    "trainer.suspend": lambda w: {"user_id": w.users["owner"]},
    "trainer.lift": lambda w: {"user_id": w.users["owner"]},
    "trainer.lift_quiz_wait": lambda w: {"user_id": w.users["owner"], "slug": "basics"},
    "item_analysis.report": lambda w: {"slug": "basics", "version": "1.0"},
    "item_analysis.csv": lambda w: {"slug": "basics", "version": "1.0"},
    "centres.withdraw": lambda w: {"centre_id": w.centre_a_id},
    "centres.edit_task": lambda w: {"task_id": w.task_id},
    "centres.update_task": lambda w: {"task_id": w.task_id},
    "centres.delete_task": lambda w: {"task_id": w.task_id},
    "centres.peer": lambda w: {"user_id": w.users["owner"]},
    "centres.revoke_token": lambda w: {"token_id": w.token_a_id},
    "api.certificate": lambda w: {"code": w.certificate_code},
    "api.centre_peer": lambda w: {"user_id": w.users["owner"]},
}


def _confirm_code(w: World, role: str) -> dict:
    """The newest code for the role's waiting set-up (the walk began it anew)."""
    user_id = w.users.get(role)
    if user_id is None:
        return {"code": "000000"}
    secret = read_now(lambda: two_factor.pending_secret(db.session.get(User, user_id)))
    if secret is None:
        return {"code": "000000"}
    w.totp_secrets[role] = secret
    return {"code": two_factor.code_for_step(secret, two_factor.current_step())}


def _disable_code(w: World, role: str) -> dict:
    """The password and a code newer than the one that confirmed the set-up."""
    secret = w.totp_secrets.get(role)
    code = two_factor.code_for_step(secret, two_factor.current_step() + 1) if secret else ""
    return {"password": PASSWORD, "code": code or "000000"}


def _quiz_answers(w: World, role: str) -> dict:
    attempt = read_now(lambda: db.session.get(QuizAttempt, w.open_attempt_id))
    return as_form(right_answers("basics", list(attempt.question_ids)))


def _join_centre_b(w: World, role: str) -> dict:
    code = read_now(lambda: db.session.get(Centre, w.centre_b_id).invite_code)
    return {"invite_code": code, "consent": "y"}


NEW_ACCOUNT = {
    "username": "newcomer",
    "display_name": "Newcomer",
    "password": PASSWORD,
    "confirm_password": PASSWORD,
}

# Minimal valid form data per POST, so that a role that gets past the access check
# succeeds; a callable gets the world and the role. CSRF-only forms need nothing.
FORMS: dict[tuple[str, str], dict | Callable[[World, str], dict]] = {
    ("POST", "accounts.sign_in"): {"username": USERNAMES["owner"], "password": PASSWORD},
    ("POST", "accounts.sign_in_code"): {"code": "000000"},
    ("POST", "accounts.change_display_name"): {"display_name": "A new name"},
    ("POST", "accounts.change_password"): {
        "current_password": PASSWORD,
        "new_password": PASSWORD,  # the same: later sign-ins in the walk still work
        "confirm_password": PASSWORD,
    },
    ("POST", "accounts.two_factor_confirm"): _confirm_code,
    ("POST", "accounts.two_factor_disable"): _disable_code,
    ("POST", "registration.create_invitation"): {"role": "trainee", "days_valid": "14"},
    ("POST", "registration.register"): NEW_ACCOUNT,
    ("POST", "registration.register_openly"): NEW_ACCOUNT,
    ("POST", "privacy.change_email"): {"email": "someone@example.org"},
    ("POST", "privacy.delete_account"): {"password": PASSWORD, "confirm": "y"},
    ("POST", "privacy.admin_delete"): {"confirm": "y"},
    # the same password: later sign-ins in the walk still work
    ("POST", "recovery.reset_password"): {"password": PASSWORD, "confirm_password": PASSWORD},
    ("POST", "recovery.reset_second_factor"): {"confirm": "y"},
    ("POST", "courses.accept_warning"): {"then": ""},
    ("POST", "quizzes.submit"): _quiz_answers,
    ("POST", "trainer.observe"): {
        "observed_on": date.today().isoformat(),
        "criterion-names-the-limits": "met",
        "note": "",
    },
    ("POST", "trainer.revoke"): {"reason": "Issued by mistake."},
    ("POST", "trainer.suspend"): {"note": ""},
    ("POST", "centres.join"): _join_centre_b,
    ("POST", "centres.create_task"): {
        "title": "Speak at an event",
        "requirements": "module:basics",
    },
    ("POST", "centres.update_task"): {
        "title": "Lead a group session",
        "description": "With a counsellor in reach.",
        "requirements": "module:basics",
    },
    ("POST", "centres.create_token"): {"name": "Another system"},
    ("POST", "centres.support_contact"): {"support_contact": "Call Sam, weekdays 9 to 5."},
    ("POST", "centres.save_facts"): {"emergency-number": "030 123 456 00, day and night"},
}

# Run after everything else, in this order: they take away what earlier requests need
# (the owner's certificate, the membership, centre A's task and token, the spare account,
# the trainer's invitation, the owner's reset link), or end the session.
LAST = (
    ("POST", "trainer.revoke"),
    ("POST", "centres.withdraw"),
    ("POST", "centres.delete_task"),
    ("POST", "centres.revoke_token"),
    ("POST", "privacy.admin_delete"),
    ("POST", "registration.revoke_invitation"),
    ("POST", "accounts.sign_in"),
    ("POST", "registration.register"),
    ("POST", "recovery.reset_password"),
    ("POST", "recovery.create_reset_link"),  # a new link stops the owner's older one
    ("GET", "safety.leave"),
    ("POST", "accounts.sign_out"),
    ("POST", "privacy.delete_account"),
)
# Each with a client of its own, freshly signed in: these sign someone in (which would
# change who the walk's client is) or end every session of the account.
OWN_CLIENT = {
    ("POST", "accounts.sign_in"),
    ("POST", "registration.register"),
    ("POST", "recovery.reset_password"),
    ("GET", "safety.leave"),
    ("POST", "accounts.sign_out"),
    ("POST", "privacy.delete_account"),
}
