"""Who may use which route: every (method, endpoint) in ``app.url_map``, for every role,
against one table (``EXPECTED``).

For each role a fresh world is seeded and the role walks every route with a client
signed in through ``/sign-in``; every outcome is compared with the table and all
mismatches are reported together. A route without an entry (or an entry without a route)
fails ``test_every_route_has_an_entry``, so no new page ships without a decision about
who may use it. The rules are written up in docs/security.md, "Who may see what".

Roles: ``anonymous``; ``owner`` (trainee A: a certificate, an open and a submitted quiz
attempt, shares with centre A); ``other_trainee`` (trainee B); ``trainer``;
``coordinator`` (of centre A, the owner's centre: the positive cases);
``other_coordinator`` (of centre B, with which the owner shares nothing); ``admin``.

CSRF is off in the test configuration (it is tested in tests/modules/accounts), and so
are the rate limits: this walk signs in far more often than a person would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask, url_for
from sqlalchemy import select

from academy.core.catalogue import current_catalogue
from academy.core.clock import utcnow
from academy.core.extensions import db
from academy.modules.accounts import invitations, two_factor
from academy.modules.accounts import services as accounts
from academy.modules.accounts.models import Role, User
from academy.modules.centres import api_tokens, coordinators, membership, tasks
from academy.modules.centres.models import Centre
from academy.modules.certificates.models import Certificate
from academy.modules.quizzes import services as quizzes
from academy.modules.quizzes.models import QuizAttempt
from tests import app_config, as_form, complete_module, right_answers  # noqa: F401
from tests.conftest import PASSWORD

pytestmark = pytest.mark.parametrize("app_config", [{"RATELIMIT_ENABLED": False}], indirect=True)

# --- outcomes -----------------------------------------------------------------------------

OK = "OK"  # 2xx, or a redirect anywhere but the sign-in guard's
LOGIN = "sign-in"  # the sign-in guard: a redirect to /sign-in?next=...
BAD_REQUEST = "400"  # past the access check, refused by the rules of the action
UNAUTHORIZED = "401"  # the API without a (valid) token
FORBIDDEN = "403"  # this role may not use this page at all
NOT_FOUND = "404"  # someone else's object: as if it did not exist

ROLES = (
    "anonymous",
    "owner",
    "other_trainee",
    "trainer",
    "coordinator",
    "other_coordinator",
    "admin",
)

USERNAMES = {
    "owner": "owner",
    "other_trainee": "other-trainee",
    "trainer": "trainer",
    "coordinator": "coordinator-a",
    "other_coordinator": "coordinator-b",
    "admin": "admin",
}


# Whom the owner's data is kept from, page content included: the owner's display name
# appears in no response to them, but where a certificate code is checked (public: whoever
# has the code may see whose it is).
OWNER_NAME = "Owner Ayo"
KEPT_FROM = ("anonymous", "other_trainee", "other_coordinator")
NAMES_THE_HOLDER = {("GET", "api.certificate")}


def row(**outcomes: str) -> dict[str, str]:
    assert set(outcomes) == set(ROLES), sorted(set(ROLES) ^ set(outcomes))
    return outcomes


# The shapes most routes share. A route's entry below is one of them, or one of them with
# named exceptions; together they are the one table.

PUBLIC = row(
    anonymous=OK,
    owner=OK,
    other_trainee=OK,
    trainer=OK,
    coordinator=OK,
    other_coordinator=OK,
    admin=OK,
)
SIGNED_IN = PUBLIC | {"anonymous": LOGIN}
# The owner's own objects (quiz attempts, certificate files): nobody else, staff included,
# learns that they exist.
OWNER_ONLY = row(
    anonymous=LOGIN,
    owner=OK,
    other_trainee=NOT_FOUND,
    trainer=NOT_FOUND,
    coordinator=NOT_FOUND,
    other_coordinator=NOT_FOUND,
    admin=NOT_FOUND,
)
# Accounts with responsibility for others: two-step sign-in, invitations.
NOT_TRAINEES = SIGNED_IN | {"owner": FORBIDDEN, "other_trainee": FORBIDDEN}
PEERS = row(
    anonymous=LOGIN,
    owner=OK,
    other_trainee=OK,
    trainer=FORBIDDEN,
    coordinator=FORBIDDEN,
    other_coordinator=FORBIDDEN,
    admin=FORBIDDEN,
)
TRAINERS = row(
    anonymous=LOGIN,
    owner=FORBIDDEN,
    other_trainee=FORBIDDEN,
    trainer=OK,
    coordinator=FORBIDDEN,
    other_coordinator=FORBIDDEN,
    admin=OK,
)
ADMINS = TRAINERS | {"trainer": FORBIDDEN}
# The centre workspace: a coordinator's own centre only; admins are not coordinators.
COORDINATORS = row(
    anonymous=LOGIN,
    owner=FORBIDDEN,
    other_trainee=FORBIDDEN,
    trainer=FORBIDDEN,
    coordinator=OK,
    other_coordinator=OK,
    admin=FORBIDDEN,
)
# Centre A's objects (its task, its token, a peer who shares with it): another centre's
# coordinator gets a 404, as for an id that does not exist.
CENTRE_A = COORDINATORS | {"other_coordinator": NOT_FOUND}
# The centre API: a bearer token only (the coordinators send their centre's token, everyone
# else only their session cookie, which the API never reads).
API_TOKEN = row(
    anonymous=UNAUTHORIZED,
    owner=UNAUTHORIZED,
    other_trainee=UNAUTHORIZED,
    trainer=UNAUTHORIZED,
    coordinator=OK,
    other_coordinator=OK,
    admin=UNAUTHORIZED,
)
API_TOKEN_CENTRE_A = API_TOKEN | {"other_coordinator": NOT_FOUND}
NOWHERE = {role: NOT_FOUND for role in ROLES}

EXPECTED: dict[tuple[str, str], dict[str, str]] = {
    ("GET", "static"): PUBLIC,
    # --- accounts: sign-in, own account, two-step sign-in
    ("GET", "accounts.sign_in"): PUBLIC,  # signed in: on to the catalogue
    ("POST", "accounts.sign_in"): PUBLIC,  # anonymous signs in as the owner
    # No sign-in waits for a code: back to /sign-in (without ?next), or on if signed in.
    ("GET", "accounts.sign_in_code"): PUBLIC,
    ("POST", "accounts.sign_in_code"): PUBLIC,
    ("POST", "accounts.sign_out"): SIGNED_IN,
    ("GET", "accounts.account"): SIGNED_IN,
    ("POST", "accounts.change_display_name"): SIGNED_IN,
    ("POST", "accounts.change_password"): SIGNED_IN,
    ("GET", "accounts.two_factor_status"): NOT_TRAINEES,
    ("POST", "accounts.two_factor_begin"): NOT_TRAINEES,
    ("GET", "accounts.two_factor_setup"): NOT_TRAINEES,
    ("GET", "accounts.two_factor_qr"): NOT_TRAINEES,
    ("POST", "accounts.two_factor_confirm"): NOT_TRAINEES,
    ("POST", "accounts.two_factor_disable"): NOT_TRAINEES,
    # --- invitations and registration
    ("GET", "registration.invitations_page"): NOT_TRAINEES,
    ("POST", "registration.create_invitation"): NOT_TRAINEES,
    # the trainer's invitation: its maker and admins revoke it; coordinators do not see it
    ("POST", "registration.revoke_invitation"): NOT_TRAINEES
    | {"coordinator": NOT_FOUND, "other_coordinator": NOT_FOUND},
    ("GET", "registration.register"): PUBLIC,  # signed in: "sign out first", a redirect
    ("POST", "registration.register"): PUBLIC,
    # open registration is off unless ACADEMY_OPEN_REGISTRATION is set
    ("GET", "registration.register_openly"): NOWHERE,
    ("POST", "registration.register_openly"): NOWHERE,
    # --- privacy: own data, own deletion; retention for admins
    ("GET", "privacy.notice"): PUBLIC,
    ("GET", "privacy.export"): SIGNED_IN,
    ("GET", "privacy.email_page"): SIGNED_IN,
    ("POST", "privacy.change_email"): SIGNED_IN,
    ("GET", "privacy.delete_page"): SIGNED_IN,
    # the only admin cannot delete their account (a rule of the action, not of access)
    ("POST", "privacy.delete_account"): SIGNED_IN | {"admin": BAD_REQUEST},
    ("GET", "privacy.admin_accounts"): ADMINS,
    ("GET", "privacy.admin_delete_page"): ADMINS,
    ("POST", "privacy.admin_delete"): ADMINS,
    # --- learning: every account may read and practise (trainers preview)
    ("GET", "courses.home"): PUBLIC,
    ("GET", "courses.catalogue"): SIGNED_IN,
    ("GET", "courses.module"): SIGNED_IN,
    ("GET", "courses.lesson"): SIGNED_IN,
    ("POST", "courses.mark_studied"): SIGNED_IN,
    ("POST", "courses.pause"): SIGNED_IN,
    ("GET", "courses.content_warning"): SIGNED_IN,
    ("POST", "courses.accept_warning"): SIGNED_IN,
    ("GET", "courses.take_break"): SIGNED_IN,
    ("GET", "quizzes.take"): SIGNED_IN,
    # quiz attempts are the trainee's alone: not even trainers or admins see them
    ("POST", "quizzes.submit"): OWNER_ONLY,
    ("GET", "quizzes.result"): OWNER_ONLY,
    # --- certificates
    ("GET", "certificates.mine"): SIGNED_IN,
    ("POST", "certificates.pause"): SIGNED_IN,
    ("POST", "certificates.resume"): SIGNED_IN,
    ("GET", "certificates.verify"): PUBLIC,
    ("GET", "certificates.verify_link"): PUBLIC,
    ("GET", "certificate_pdf.download"): OWNER_ONLY,
    ("GET", "credentials.download"): OWNER_ONLY,
    ("GET", "credentials.issuer"): PUBLIC,
    ("GET", "credentials.key_list"): PUBLIC,
    ("GET", "credentials.status"): PUBLIC,
    # trainers and admins see every trainee's certificates, attestations and pauses
    ("GET", "trainer.trainees"): TRAINERS,
    ("GET", "trainer.trainee"): TRAINERS,
    ("POST", "trainer.attest"): TRAINERS,
    ("POST", "trainer.revoke"): TRAINERS,
    ("POST", "trainer.suspend"): TRAINERS,
    ("POST", "trainer.lift"): TRAINERS,
    # --- centres: peers choose to share; coordinators see their own centre only
    ("GET", "centres.mine"): PEERS,
    ("POST", "centres.join"): PEERS,
    ("POST", "centres.withdraw"): PEERS | {"other_trainee": NOT_FOUND},  # not a member
    ("GET", "centres.dashboard"): COORDINATORS,
    ("POST", "centres.regenerate_invite_code"): COORDINATORS,
    ("GET", "centres.tasks"): COORDINATORS,
    ("POST", "centres.create_task"): COORDINATORS,
    ("GET", "centres.edit_task"): CENTRE_A,
    ("POST", "centres.update_task"): CENTRE_A,
    ("POST", "centres.delete_task"): CENTRE_A,
    ("GET", "centres.matrix"): COORDINATORS,
    ("GET", "centres.matrix_csv"): COORDINATORS,
    ("GET", "centres.peer"): CENTRE_A,
    ("GET", "centres.log"): COORDINATORS,
    ("GET", "centres.tokens"): COORDINATORS,
    ("POST", "centres.create_token"): COORDINATORS,
    ("POST", "centres.revoke_token"): CENTRE_A,
    ("POST", "centres.support_contact"): COORDINATORS,
    # --- the JSON API
    ("GET", "api.openapi"): PUBLIC,
    ("GET", "api.certificate"): PUBLIC,
    ("GET", "api.centre_peers"): API_TOKEN,
    ("GET", "api.centre_peer"): API_TOKEN_CENTRE_A,
    # --- safety and operations
    ("GET", "safety.leave"): PUBLIC,
    ("GET", "safety.staying_safe"): PUBLIC,
    ("GET", "operations.healthz"): PUBLIC,
}


# --- the seeded world ---------------------------------------------------------------------


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
    certificate_id: int
    certificate_code: str
    open_attempt_id: int
    submitted_attempt_id: int
    totp_secrets: dict[str, str] = field(default_factory=dict)  # filled during the walk


def _user(role: Role, username: str, display_name: str) -> User:
    return accounts.create_user(username, PASSWORD, role, display_name)


@pytest.fixture
def world(app) -> World:
    return seed_world()


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
        certificate_id=certificate.id,
        certificate_code=certificate.code,
        open_attempt_id=opened.id,
        submitted_attempt_id=submitted.id,
    )


def _read(query: Callable[[], object]) -> object:
    """Read the database as it is now (requests ran in their own sessions)."""
    db.session.expire_all()
    try:
        return query()
    finally:
        db.session.rollback()


# --- what each request needs --------------------------------------------------------------

# URL arguments per endpoint, from the world.
URL_ARGS: dict[str, Callable[[World], dict]] = {
    "static": lambda w: {"filename": "css/app.css"},
    "registration.revoke_invitation": lambda w: {"invitation_id": w.trainer_invitation_id},
    "registration.register": lambda w: {"token": w.invitation_token},
    "privacy.admin_delete_page": lambda w: {"user_id": w.spare_id},
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
    "credentials.status": lambda w: {"purpose": "revocation"},
    "trainer.trainee": lambda w: {"user_id": w.users["owner"]},
    "trainer.attest": lambda w: {"user_id": w.users["owner"]},
    "trainer.revoke": lambda w: {"certificate_id": w.certificate_id},
    "trainer.suspend": lambda w: {"user_id": w.users["owner"]},
    "trainer.lift": lambda w: {"user_id": w.users["owner"]},
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
    secret = _read(lambda: two_factor.pending_secret(db.session.get(User, user_id)))
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
    attempt = _read(lambda: db.session.get(QuizAttempt, w.open_attempt_id))
    return as_form(right_answers("basics", list(attempt.question_ids)))


def _join_centre_b(w: World, role: str) -> dict:
    code = _read(lambda: db.session.get(Centre, w.centre_b_id).invite_code)
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
    ("POST", "courses.accept_warning"): {"then": ""},
    ("POST", "quizzes.submit"): _quiz_answers,
    ("POST", "trainer.attest"): {
        "requirement": "fixture-practice/practice",
        "attested_on": date.today().isoformat(),
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
}

# Run after everything else, in this order: they take away what earlier requests need
# (the owner's certificate, the membership, centre A's task and token, the spare account,
# the trainer's invitation), or end the session.
LAST = (
    ("POST", "trainer.revoke"),
    ("POST", "centres.withdraw"),
    ("POST", "centres.delete_task"),
    ("POST", "centres.revoke_token"),
    ("POST", "privacy.admin_delete"),
    ("POST", "registration.revoke_invitation"),
    ("POST", "accounts.sign_in"),
    ("POST", "registration.register"),
    ("GET", "safety.leave"),
    ("POST", "accounts.sign_out"),
    ("POST", "privacy.delete_account"),
)
# Each with a client of its own, freshly signed in: these sign someone in (which would
# change who the walk's client is) or end every session of the account.
OWN_CLIENT = {
    ("POST", "accounts.sign_in"),
    ("POST", "registration.register"),
    ("GET", "safety.leave"),
    ("POST", "accounts.sign_out"),
    ("POST", "privacy.delete_account"),
}


# --- the walk -----------------------------------------------------------------------------


def route_keys(app: Flask) -> list[tuple[str, str]]:
    """Every (method, endpoint) in the URL map, in the map's order."""
    keys: list[tuple[str, str]] = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (method, rule.endpoint) not in keys:
                keys.append((method, rule.endpoint))
    return keys


def walk_order(app: Flask) -> list[tuple[str, str]]:
    keys = route_keys(app)
    return [key for key in keys if key not in LAST] + [key for key in LAST if key in keys]


def outcome(response) -> str:
    status = response.status_code
    if 300 <= status < 400:
        target = urlsplit(response.headers.get("Location", ""))
        if target.path == "/sign-in" and "next" in parse_qs(target.query):
            return LOGIN
        return OK
    if 200 <= status < 300:
        return OK
    return str(status)


def describe(response) -> str:
    if 300 <= response.status_code < 400:
        return f"{response.status_code} to {response.headers.get('Location')}"
    return str(response.status_code)


def signed_in_client(app: Flask, role: str):
    client = app.test_client()
    if role != "anonymous":
        response = client.post("/sign-in", data={"username": USERNAMES[role], "password": PASSWORD})
        assert outcome(response) == OK and response.headers["Location"] != "/sign-in/code", (
            f"{role} could not sign in: {describe(response)}"
        )
    return client


def build_url(app: Flask, endpoint: str, w: World) -> str:
    with app.test_request_context():
        return url_for(endpoint, **URL_ARGS.get(endpoint, lambda _: {})(w))


def walk(app: Flask, w: World, role: str) -> list[str]:
    """Every route as ``role``; what differs from EXPECTED, one line each."""
    mismatches: list[str] = []
    client = signed_in_client(app, role)
    for key in walk_order(app):
        method, endpoint = key
        if key not in EXPECTED:  # test_every_route_has_an_entry names it
            mismatches.append(f"{method} {endpoint}: no entry in EXPECTED")
            continue
        expected = EXPECTED[key][role]
        url = endpoint
        try:
            url = build_url(app, endpoint, w)
            data = FORMS.get(key)
            if callable(data):
                data = data(w, role)
            headers = {}
            if endpoint.startswith("api.") and role in w.tokens:
                headers["Authorization"] = f"Bearer {w.tokens[role]}"
            by = signed_in_client(app, role) if key in OWN_CLIENT else client
            response = by.open(url, method=method, data=data, headers=headers)
        except Exception as error:  # report it with the rest, and carry on
            mismatches.append(f"{method} {url} as {role}: expected {expected}, raised {error!r}")
            continue
        body = response.get_data()
        response.close()  # a static file stays open until then
        if outcome(response) != expected:
            mismatches.append(
                f"{method} {url} as {role}: expected {expected}, got {describe(response)}"
            )
        elif role in KEPT_FROM and OWNER_NAME.encode() in body and key not in NAMES_THE_HOLDER:
            mismatches.append(f"{method} {url} as {role}: shows the owner's name")
    return mismatches


# --- the tests ----------------------------------------------------------------------------


def test_every_route_has_an_entry(app):
    """A new route needs a row in EXPECTED (and URL arguments if it has any); a removed
    route must lose its row."""
    keys = route_keys(app)
    problems = [f"{m} {e}: no entry in EXPECTED" for m, e in keys if (m, e) not in EXPECTED]
    problems += [
        f"{m} {e}: in EXPECTED, but no such route" for m, e in EXPECTED if (m, e) not in keys
    ]
    endpoints = {endpoint for _, endpoint in keys}
    for rule in app.url_map.iter_rules():
        if rule.arguments and rule.endpoint not in URL_ARGS:
            problems.append(f"{rule.rule} ({rule.endpoint}): no entry in URL_ARGS")
    problems += [f"{e}: in URL_ARGS, but no such route" for e in URL_ARGS if e not in endpoints]
    problems += [
        f"{m} {e}: in {name}, but no such route"
        for name, table in (("FORMS", FORMS), ("LAST", LAST), ("OWN_CLIENT", OWN_CLIENT))
        for m, e in table
        if (m, e) not in keys
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_every_role(app, world, role):
    mismatches = walk(app, world, role)
    assert not mismatches, f"{len(mismatches)} route(s) answer {role} wrongly:\n" + "\n".join(
        mismatches
    )


def test_a_session_cookie_does_not_open_the_centre_api(app, world):
    """Signed in as the coordinator, but without the token: the API still wants one."""
    client = signed_in_client(app, "coordinator")
    for endpoint in ("api.centre_peers", "api.centre_peer"):
        response = client.get(build_url(app, endpoint, world))
        assert response.status_code == 401, endpoint
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
