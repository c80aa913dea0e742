"""The access-control table: for every (method, endpoint), what each role gets.

A route's entry is one of the shapes below (``PUBLIC``, ``SIGNED_IN``, ``OWNER_ONLY``,
``COORDINATORS``...), or one of them with named exceptions. A new route needs a row here
(and, if it has URL arguments or a form, an entry in ``request_data``); docs/security.md,
"Who may see what", says the same in words.
"""

from __future__ import annotations

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
# A password reset link for the owner: trainers and admins for any trainee, the coordinator
# of a centre the owner shares with; another centre's coordinator gets a 404.
HELPS_THE_OWNER_BACK_IN = TRAINERS | {"coordinator": OK, "other_coordinator": NOT_FOUND}

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
    # open registration is off unless ACADEMY_OPEN_REGISTRATION is set: a page saying
    # that accounts are by invitation, and a POST refused
    ("GET", "registration.register_openly"): PUBLIC,
    ("POST", "registration.register_openly"): {role: FORBIDDEN for role in ROLES},
    # --- a way back in: reset links (made by those responsible), second-factor resets
    ("GET", "recovery.reset_link_page"): HELPS_THE_OWNER_BACK_IN,
    ("POST", "recovery.create_reset_link"): HELPS_THE_OWNER_BACK_IN,
    ("GET", "recovery.reset_password"): PUBLIC,  # signed in: "sign out first", a redirect
    ("POST", "recovery.reset_password"): PUBLIC,  # anonymous sets the owner's password
    ("GET", "recovery.second_factor_page"): ADMINS,
    ("POST", "recovery.reset_second_factor"): ADMINS,
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
    ("GET", "certificates.paths"): SIGNED_IN,
    ("POST", "certificates.pause"): SIGNED_IN,
    ("POST", "certificates.resume"): SIGNED_IN,
    ("GET", "certificates.verify"): PUBLIC,
    ("GET", "certificates.verify_link"): PUBLIC,
    ("GET", "certificate_pdf.download"): OWNER_ONLY,
    ("GET", "credentials.download"): OWNER_ONLY,
    ("GET", "credentials.issuer"): PUBLIC,
    ("GET", "credentials.key_list"): PUBLIC,
    ("GET", "credentials.status"): PUBLIC,
    # trainers and admins see every trainee's certificates, observed practice and pauses
    ("GET", "trainer.trainees"): TRAINERS,
    ("GET", "trainer.trainee"): TRAINERS,
    ("GET", "trainer.observe"): TRAINERS,
    ("POST", "trainer.observe"): TRAINERS,
    ("POST", "trainer.revoke"): TRAINERS,
    ("POST", "trainer.suspend"): TRAINERS,
    ("POST", "trainer.lift"): TRAINERS,
    ("POST", "trainer.lift_quiz_wait"): TRAINERS,  # the owner waits for no quiz: refused
    # item analysis: figures per question, aggregates only (no trainee is named)
    ("GET", "item_analysis.index"): TRAINERS,
    ("GET", "item_analysis.report"): TRAINERS,
    ("GET", "item_analysis.csv"): TRAINERS,
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
    ("GET", "centres.facts"): COORDINATORS,
    ("POST", "centres.save_facts"): COORDINATORS,
    # --- the JSON API
    ("GET", "api.openapi"): PUBLIC,
    ("GET", "api.certificate"): PUBLIC,
    ("GET", "api.centre_peers"): API_TOKEN,
    ("GET", "api.centre_peer"): API_TOKEN_CENTRE_A,
    # --- safety and operations
    ("GET", "safety.leave"): PUBLIC,
    ("GET", "safety.staying_safe"): PUBLIC,
    ("GET", "operations.healthz"): PUBLIC,
    ("GET", "operations.content_problems_page"): TRAINERS,
}
