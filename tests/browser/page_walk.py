"""Every page each role can reach, for the layout, accessibility and focus walks
(test_every_page.py).

The pages come from the app's URL map and the access-control table
(tests/core/access_control/table.py): every GET endpoint a role may use is visited, so a
new page is walked as soon as it has its row there. An endpoint with URL arguments needs
an entry in ``PAGE_ARGS`` (the real curriculum's ids, from the seeded ``Site``); one that
answers with something other than an HTML page belongs in ``NOT_PAGES``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, url_for

from academy.core.catalogue import current_catalogue
from academy.core.clock import utcnow
from academy.core.extensions import db
from academy.modules.accounts import invitations, recovery, two_factor
from academy.modules.accounts import services as accounts
from academy.modules.accounts.models import Role
from academy.modules.centres import api_tokens, membership, tasks
from academy.modules.centres.demo import create_demo_centre
from academy.modules.certificates.services import issuing, lifecycle, status
from academy.modules.practice.demo import record_demo_session
from academy.modules.quizzes import services as quizzes
from tests import pass_quiz, study_all_lessons, wrong_answers
from tests.browser.helpers import PASSWORD
from tests.core.access_control.table import EXPECTED, OK

# Each role of the walk, and its column in the access-control table.
ROLES = {
    "anonymous": "anonymous",
    "trainee": "owner",
    "trainer": "trainer",
    "coordinator": "coordinator",
    "admin": "admin",
}

# GET endpoints that answer with a file, JSON or a redirect that signs out: not pages.
NOT_PAGES = {
    "static",
    "accounts.two_factor_qr",
    "privacy.export",
    "certificate_pdf.download",
    "credentials.download",
    "credentials.issuer",
    "credentials.key_list",
    "credentials.status",
    "item_analysis.csv",
    "centres.matrix_csv",
    "api.openapi",
    "api.certificate",
    "api.centre_peers",
    "api.centre_peer",
    "safety.leave",  # the quick exit: it signs out
    "languages.choose_language",  # sets the language cookie and goes back to the page
    "operations.healthz",
    "offline.manifest",  # JSON and the service worker's script, not pages
    "offline.service_worker",
    "offline.module_files",
    "offline.session_state",
}

# A display name and a task title as long as real ones get: the pages must wrap them.
LONG_NAME = "Amina Oluwaseun-Abernathy"
LONG_TASK = "Accompany a client to the foreigners' authority and to the job centre"


@dataclass
class Site:
    """The seeded accounts and objects; ``usernames`` by walk role."""

    usernames: dict[str, str]
    trainee_id: int
    spare_id: int
    task_id: int
    certificate_code: str
    attempt_ids: list[int]  # a passed and a failed quiz, for their result pages
    invitation_token: str
    reset_token: str  # a reset link for another trainee
    trainer_id: int


def _user(username: str, role: Role, display_name: str):
    return accounts.create_user(username, PASSWORD, role, display_name)


def seed_site() -> Site:
    """Accounts for every role and content on every page: certificates (a path one with
    its long content version), quiz results, a centre with five tasks, a verification log,
    tokens, invitations, a reset link, an observed session and two-step set-ups waiting
    for a code."""
    trainee = _user("walk-trainee", Role.TRAINEE, LONG_NAME)
    paused_peer = _user("walk-peer", Role.TRAINEE, "Bea")
    trainer = _user("walk-trainer", Role.TRAINER, "Trainer Kim")
    coordinator = _user("walk-coordinator", Role.CENTRE, "Coordinator Lu")
    admin = _user("walk-admin", Role.ADMIN, "Admin Lee")
    spare = _user("walk-spare", Role.TRAINEE, "Spare")
    spare.last_active_at = utcnow() - timedelta(days=400)  # inactive: admins may delete it
    db.session.commit()

    catalogue = current_catalogue()
    study_all_lessons(trainee.id, "peer-role")
    passed = pass_quiz(trainee.id, "peer-role")
    failed = quizzes.open_attempt(trainee.id, catalogue.modules["safe-listening"])
    failed = quizzes.submit_attempt(
        trainee.id, failed.id, wrong_answers("safe-listening", failed.question_ids)
    )
    path = catalogue.paths["peer-advisor-core"]
    # the path's long version string ("2.1+2.1+…") must wrap on a phone
    version = "+".join(catalogue.modules[slug].version for slug in path.modules)
    issuing.issue_or_renew(trainee, "path", path.slug, path.title, version, path.valid_months)
    record_demo_session(trainer, trainee)

    centre = create_demo_centre(coordinator, trainee)  # four tasks, facts, the trainee
    task = tasks.save_task(centre, LONG_TASK, "With a counsellor's letter.", ["module:peer-role"])
    membership.join_centre(paused_peer, centre.invite_code, consent=True)
    lifecycle.pause_self(paused_peer)
    api_tokens.create_token(centre, "Rota planner on the office laptop", coordinator)
    certificate = issuing.certificates_for(trainee.id)[0]
    for code in (certificate.code, "0000-0000-0000-0000-0000"):
        status.verify_code(code, user_id=coordinator.id)
    _, token = invitations.create_invitation(coordinator, Role.TRAINEE, centre_id=centre.id)
    invitations.create_invitation(trainer, Role.TRAINEE)
    _, reset_token = recovery.issue_reset_link(admin, paused_peer)
    for user in (trainer, coordinator, admin):
        two_factor.begin_enrolment(user)
    db.session.commit()
    return Site(
        usernames={
            "trainee": trainee.username,
            "trainer": trainer.username,
            "coordinator": coordinator.username,
            "admin": admin.username,
        },
        trainee_id=trainee.id,
        spare_id=spare.id,
        task_id=task.id,
        certificate_code=certificate.code,
        attempt_ids=[passed.id, failed.id],
        invitation_token=token,
        reset_token=reset_token,
        trainer_id=trainer.id,
    )


def _every_module(_: Site) -> list[dict]:
    return [{"slug": slug} for slug in current_catalogue().modules]


def _every_lesson(_: Site) -> list[dict]:
    return [
        {"slug": module.slug, "lesson_slug": lesson.slug}
        for module in current_catalogue().modules.values()
        for lesson in module.lessons
    ]


def _observations(site: Site) -> list[dict]:
    path = current_catalogue().paths["peer-advisor-core"]
    return [
        {"user_id": site.trainee_id, "path_slug": path.slug, "scenario_id": scenario.id}
        for scenario in path.practice
    ]


# URL arguments of the endpoints that have them: every variant worth a look.
PAGE_ARGS: dict[str, Callable[[Site], list[dict]]] = {
    "registration.register": lambda s: [{"token": s.invitation_token}],
    "recovery.reset_link_page": lambda s: [{"user_id": s.trainee_id}],
    "recovery.reset_password": lambda s: [{"token": s.reset_token}],
    "recovery.second_factor_page": lambda s: [{"user_id": s.trainer_id}],
    "privacy.admin_delete_page": lambda s: [{"user_id": s.spare_id}],
    "courses.module": _every_module,
    "courses.lesson": _every_lesson,
    "courses.content_warning": _every_module,
    "quizzes.take": _every_module,
    "quizzes.result": lambda s: [{"attempt_id": i} for i in s.attempt_ids],
    "certificates.verify_link": lambda s: [{"code": s.certificate_code}],
    "trainer.trainee": lambda s: [{"user_id": s.trainee_id}],
    "trainer.observe": _observations,
    "item_analysis.report": lambda s: [
        {"slug": m.slug, "version": m.version} for m in current_catalogue().modules.values()
    ],
    "centres.edit_task": lambda s: [{"task_id": s.task_id}],
    "centres.peer": lambda s: [{"user_id": s.trainee_id}],
}

# Pages that are not one endpoint's: an error page, a code that is not found.
EXTRA_PAGES = ["/no-such-page", "/verify?code=0000-0000-0000-0000-0000"]


def page_endpoints(app: Flask) -> list[str]:
    """Every GET endpoint that answers with an HTML page, in the URL map's order."""
    endpoints: list[str] = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.endpoint not in NOT_PAGES:
            if rule.endpoint not in endpoints:
                endpoints.append(rule.endpoint)
    return endpoints


def pages_for(app: Flask, site: Site, role: str) -> list[tuple[str, bool]]:
    """The paths of every page ``role`` may open, with the seeded ids filled in, each with
    whether it is an endpoint's first (main) variant. Trainees get every variant (every
    lesson, every quiz); the staff roles, whose lesson pages differ from a trainee's only in
    the menu, the first of each, and not the public pages (home, privacy, verify...), which
    the anonymous and the trainee's walks cover (the menu is on each of their other pages)."""
    column = ROLES[role]
    pages: list[tuple[str, bool]] = []
    with app.test_request_context():
        for endpoint in page_endpoints(app):
            outcomes = EXPECTED[("GET", endpoint)]
            if outcomes[column] != OK:
                continue
            if role not in ("anonymous", "trainee") and set(outcomes.values()) == {OK}:
                continue
            variants = PAGE_ARGS.get(endpoint, lambda _: [{}])(site)
            for number, args in enumerate(variants if role == "trainee" else variants[:1]):
                pages.append((url_for(endpoint, **args), number == 0))
    return [*pages, *((path, True) for path in EXTRA_PAGES)]
