"""Centres: membership and consent, tasks, tokens, the audit log, the demo centre."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from werkzeug.exceptions import Forbidden, NotFound

from academy.core import clock
from academy.core.config import PROJECT_ROOT
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.centres import services
from academy.modules.centres.models import ApiToken, Centre, Membership, VerificationLogEntry
from academy.modules.certificates import services as certificates
from tests.modules.centres.helpers import add_task, certify, coordinator_of, join, make_centre


@pytest.fixture
def centre(make_user):
    return make_centre(make_user, "Centre A")


@pytest.fixture
def peer(make_user):
    return make_user(Role.TRAINEE, "peer-one", "Peer One")


# --- joining and consent ------------------------------------------------------------------


def test_joining_needs_explicit_consent(centre, peer):
    with pytest.raises(services.CentreError, match="tick the box") as caught:
        services.join_centre(peer, centre.invite_code, consent=False)
    assert caught.value.field == "consent"
    assert db.session.scalar(select(Membership)) is None
    assert services.centres_of(peer) == []


def test_invite_codes_ignore_case_spaces_and_dashes(centre, peer):
    typed = services.format_invite_code(centre.invite_code).lower().replace("-", " - ")
    assert services.join_centre(peer, typed, consent=True) == centre
    assert services.centres_of(peer) == [centre]


def test_an_unknown_invite_code_is_refused(centre, peer):
    with pytest.raises(services.CentreError, match="No centre has this invite code"):
        services.join_centre(peer, "NOPE-NOPE2", consent=True)
    with pytest.raises(services.CentreError, match="No centre has this invite code"):
        services.join_centre(peer, " - ", consent=True)


@pytest.mark.parametrize("role", [Role.TRAINER, Role.CENTRE, Role.ADMIN])
def test_only_trainees_can_join(centre, make_user, role):
    with pytest.raises(services.CentreError, match="Only peers in training"):
        services.join_centre(make_user(role), centre.invite_code, consent=True)


def test_joining_twice_says_so(centre, peer):
    join(peer, centre)
    with pytest.raises(services.CentreError, match="already share"):
        services.join_centre(peer, centre.invite_code, consent=True)


def test_withdrawal_hides_the_peer_at_once_and_rejoining_gives_consent_again(centre, peer):
    add_task(centre, "Lead a group session", "module:basics")
    join(peer, centre)
    assert [p.id for p in services.clearance_matrix(centre).peers] == [peer.id]

    services.withdraw_consent(peer, centre.id)
    db.session.commit()
    assert services.clearance_matrix(centre).peers == []
    assert services.roster(centre) == []
    assert peer.display_name not in services.matrix_csv(services.clearance_matrix(centre))
    with pytest.raises(NotFound):
        services.peer_detail(centre, peer.id)
    assert services.centres_of(peer) == []

    clock.travel(timedelta(days=3))
    join(peer, centre)
    membership = db.session.scalar(select(Membership))
    assert membership.withdrawn_at is None
    assert membership.consent_given_at.date() == clock.utcnow().date()
    assert [p.id for p in services.clearance_matrix(centre).peers] == [peer.id]


def test_withdrawing_where_one_does_not_share_is_a_404(centre, peer):
    with pytest.raises(NotFound):
        services.withdraw_consent(peer, centre.id)


def test_a_new_invite_code_keeps_members_and_retires_the_old_code(centre, peer, make_user):
    join(peer, centre)
    old = centre.invite_code
    new = services.regenerate_invite_code(centre)
    db.session.commit()
    assert new != old
    assert [entry.id for entry in services.roster(centre)] == [peer.id]
    with pytest.raises(services.CentreError):
        services.join_centre(make_user(), old, consent=True)


def test_the_roster_shows_who_is_paused_but_never_why(centre, peer, make_user):
    other = make_user(Role.TRAINEE, "peer-two", "Another")
    join(peer, centre)
    join(other, centre)
    certificates.suspend(peer, "private note about a crisis", by=coordinator_of(centre))
    db.session.commit()
    entries = {entry.display_name: entry for entry in services.roster(centre)}
    assert entries["Peer One"].paused and not entries["Another"].paused
    assert "private note" not in repr(services.roster(centre))


# --- centres and coordinators -------------------------------------------------------------


def test_a_centre_needs_a_unique_name_and_a_coordinator_with_the_centre_role(centre, make_user):
    with pytest.raises(services.CentreError, match="already exists"):
        services.create_centre("Centre A", make_user(Role.CENTRE))
    with pytest.raises(services.CentreError, match="role 'centre'"):
        services.create_centre("Centre B", make_user(Role.TRAINER))
    with pytest.raises(services.CentreError, match="another centre"):
        services.create_centre("Centre C", coordinator_of(centre))


def test_only_a_linked_coordinator_has_a_centre(centre, make_user, peer):
    assert services.centre_for_coordinator(coordinator_of(centre)) == centre
    with pytest.raises(Forbidden):
        services.centre_for_coordinator(make_user(Role.CENTRE))
    with pytest.raises(Forbidden):
        services.centre_for_coordinator(peer)


# --- tasks --------------------------------------------------------------------------------


def test_requirement_choices_come_from_the_loaded_catalogue(app):
    groups = {g.label: [r.value for r in g.requirements] for g in services.requirement_groups()}
    assert groups == {
        "Module certificates": ["module:basics", "module:advanced"],
        "Path certificates": ["path:fixture-path", "path:fixture-practice"],
        "Practical attestations": ["attestation:fixture-practice/practice"],
    }


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["module:nope"], "'nope' is not in the current curriculum"),
        (["path:basics"], "'basics' is not in the current curriculum"),
        (["attestation:fixture-practice/nope"], "is not in the current curriculum"),
        (["attestation:practice"], "is not in the current curriculum"),
        (["certificate:basics"], "is not in the current curriculum"),
        ([], "at least one"),
    ],
)
def test_task_requirements_are_checked_against_the_catalogue(centre, values, message):
    with pytest.raises(services.CentreError, match=message) as caught:
        services.save_task(centre, "Lead a group session", "", values)
    assert caught.value.field == "requirements"
    assert services.tasks_of(centre) == []


def test_a_task_is_saved_edited_and_deleted(centre):
    task = services.save_task(
        centre, "  Lead   a group session ", "With a counsellor", ["module:basics", "module:basics"]
    )
    db.session.commit()
    assert task.title == "Lead a group session"
    assert services.task_requirement_values(task) == ["module:basics"]

    services.save_task(
        centre, "Lead a group", "", ["path:fixture-path", "attestation:fixture-practice/practice"],
        task,
    )  # fmt: skip
    db.session.commit()
    assert task.title == "Lead a group"
    assert sorted(services.task_requirement_values(task)) == [
        "attestation:fixture-practice/practice",
        "path:fixture-path",
    ]
    assert services.delete_task(centre, task.id) == "Lead a group"
    db.session.commit()
    assert services.tasks_of(centre) == []
    assert db.session.scalar(text("SELECT count(*) FROM centre_task_requirements")) == 0


def test_task_titles_are_unique_within_a_centre_only(centre, make_user):
    add_task(centre, "Lead a group session", "module:basics")
    with pytest.raises(services.CentreError, match="already has a task") as caught:
        services.save_task(centre, "lead a GROUP session", "", ["module:basics"])
    assert caught.value.field == "title"
    other = make_centre(make_user, "Centre B")
    assert services.save_task(other, "Lead a group session", "", ["module:basics"])


def test_another_centres_task_does_not_exist(centre, make_user):
    other = make_centre(make_user, "Centre B")
    task = add_task(other, "Lead a group session", "module:basics")
    for action in (services.get_task, services.delete_task):
        with pytest.raises(NotFound):
            action(centre, task.id)


# --- API tokens ---------------------------------------------------------------------------


def test_a_token_is_shown_once_and_stored_only_as_its_hash(centre):
    token, plain = services.create_token(centre, "Rota system", coordinator_of(centre))
    db.session.commit()
    assert plain.startswith("pa_") and len(plain) > 40
    assert token.prefix == plain[:10]
    assert token.token_hash == hashlib.sha256(plain.encode()).hexdigest()
    stored = db.session.execute(text("SELECT * FROM centre_api_tokens")).one()
    assert plain not in [str(value) for value in stored]
    assert services.authenticate_token(plain) == token


def test_tokens_need_a_name(centre):
    with pytest.raises(services.CentreError, match="name") as caught:
        services.create_token(centre, "   ", coordinator_of(centre))
    assert caught.value.field == "name"


def test_unknown_malformed_and_revoked_tokens_do_not_authenticate(centre):
    token, plain = services.create_token(centre, "Rota", coordinator_of(centre))
    db.session.commit()
    assert services.authenticate_token(plain + "x") is None
    assert services.authenticate_token(plain[3:]) is None
    assert services.authenticate_token("") is None
    services.revoke_token(centre, token.id)
    db.session.commit()
    assert services.authenticate_token(plain) is None


def test_a_centre_cannot_revoke_another_centres_token(centre, make_user):
    other = make_centre(make_user, "Centre B")
    token, plain = services.create_token(other, "Theirs", coordinator_of(other))
    db.session.commit()
    with pytest.raises(NotFound):
        services.revoke_token(centre, token.id)
    assert services.authenticate_token(plain) == token
    assert services.tokens_of(centre) == []


def test_last_use_is_written_at_most_once_a_minute(centre):
    token, plain = services.create_token(centre, "Rota", coordinator_of(centre))
    db.session.commit()
    services.authenticate_token(plain)
    first = token.last_used_at
    assert first is not None
    db.session.commit()
    clock.travel(timedelta(seconds=30))
    services.authenticate_token(plain)
    assert token not in db.session.dirty
    clock.travel(timedelta(seconds=31))
    services.authenticate_token(plain)
    assert token.last_used_at > first


# --- verification audit log ---------------------------------------------------------------


def _code(make_user) -> str:
    holder = make_user(Role.TRAINEE, "holder", "Holder")
    return certify(holder, "module", "basics").code


def test_a_coordinators_check_is_logged_for_their_centre(centre, make_user):
    code = _code(make_user)
    certificates.verify_code(code, via="page", user_id=coordinator_of(centre).id)
    db.session.commit()
    entry = db.session.scalar(select(VerificationLogEntry))
    assert (entry.code, entry.result, entry.via) == (code, "valid", "page")
    assert entry.centre_id == centre.id
    assert entry.user_id == coordinator_of(centre).id
    page = services.verification_log(centre)
    assert [(e.result, e.via, e.checked_by) for e in page.entries] == [
        ("valid", "page", coordinator_of(centre).display_name)
    ]


def test_anonymous_and_trainee_checks_belong_to_no_centre(centre, make_user, peer):
    code = _code(make_user)
    certificates.verify_code(code)
    certificates.verify_code("0000-0000-0000-0000-0000", user_id=peer.id)
    db.session.commit()
    entries = db.session.scalars(select(VerificationLogEntry)).all()
    assert [(e.result, e.centre_id) for e in entries] == [("valid", None), ("unknown", None)]
    assert services.verification_log(centre).entries == []


def test_the_log_keeps_no_addresses_or_browsers(app):
    columns = set(VerificationLogEntry.__table__.columns.keys())
    assert columns == {"id", "checked_at", "code", "result", "via", "user_id", "centre_id"}


def test_on_postgresql_only_the_checks_transaction_skips_waiting_for_the_disk(make_user):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("synchronous_commit is a PostgreSQL setting")
    code = _code(make_user)
    db.session.commit()
    certificates.verify_code(code)
    assert db.session.scalar(text("SHOW synchronous_commit")) == "off"
    db.session.commit()
    assert db.session.scalar(text("SHOW synchronous_commit")) == "on"
    assert db.session.scalar(select(VerificationLogEntry.result)) == "valid"


def test_a_token_check_is_logged_for_the_tokens_centre_and_pages_newest_first(centre, make_user):
    code = _code(make_user)
    for _ in range(3):
        certificates.verify_code(code, via="api", centre_id=centre.id)
        clock.travel(timedelta(minutes=1))
    certificates.verify_code("0000-0000-0000-0000-0000", via="api", centre_id=centre.id)
    db.session.commit()
    first = services.verification_log(centre, page=1, per_page=2)
    assert [e.result for e in first.entries] == ["unknown", "valid"]
    assert first.has_next and first.entries[0].checked_by is None
    last = services.verification_log(centre, page=2, per_page=2)
    assert [e.result for e in last.entries] == ["valid", "valid"] and not last.has_next
    assert services.verification_log(centre, page=-5, per_page=2).page == 1


# --- demo and CLI -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "app_config", [{"ACADEMY_CONTENT_DIR": str(PROJECT_ROOT / "content")}], indirect=True
)
def test_the_demo_centre_has_realistic_tasks_and_a_sharing_peer(make_user):
    coordinator = make_user(Role.CENTRE, "demo-centre")
    peer = make_user(Role.TRAINEE, "demo-trainee")
    centre = services.create_demo_centre(coordinator, peer)
    db.session.commit()
    again = services.create_demo_centre(coordinator, peer)
    db.session.commit()
    assert again == centre and centre.name == "Demo centre"
    tasks = {task.title: sorted(services.task_requirement_values(task)) for task in
             services.tasks_of(centre)}  # fmt: skip
    assert tasks == {
        "Accompany a client to an appointment": [
            "module:boundaries",
            "module:data-protection",
            "module:peer-role",
            "module:safe-listening",
        ],
        "Lead a group session": ["path:peer-advisor-core"],
        "Speak at an awareness event": [
            "module:data-protection",
            "module:multiplier-methods",
            "module:peer-role",
        ],
        "Support public relations work": ["module:data-protection", "module:peer-role"],
    }
    assert [entry.id for entry in services.roster(centre)] == [peer.id]


def test_the_demo_centre_only_requires_content_that_exists(make_user):
    centre = services.create_demo_centre(make_user(Role.CENTRE), make_user(Role.TRAINEE))
    assert services.tasks_of(centre) == []  # none of the fixture modules is used


def test_the_cli_creates_a_centre_with_its_coordinator(app, make_user):
    make_user(Role.CENTRE, "coord")
    result = app.test_cli_runner().invoke(
        args=["centres", "create", "Centre X", "--coordinator", "coord"]
    )
    assert result.exit_code == 0, result.output
    assert "Created the centre 'Centre X'" in result.output
    assert "Invite code for peers:" in result.output
    centre = db.session.scalar(select(Centre).filter_by(name="Centre X"))
    assert services.format_invite_code(centre.invite_code) in result.output
    assert coordinator_of(centre).username == "coord"
    failed = app.test_cli_runner().invoke(
        args=["centres", "create", "Centre Y", "--coordinator", "nobody"]
    )
    assert failed.exit_code == 1 and "There is no account 'nobody'" in failed.output


def test_academy_demo_prints_the_accounts_and_creates_the_demo_centre(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    second = runner.invoke(args=["demo"])
    assert first.exit_code == second.exit_code == 0, first.output
    assert first.output == second.output
    assert "trainee   sign-in name: demo-trainee   password: trainee-demo-2026" in first.output
    assert db.session.scalar(select(ApiToken)) is None
    centre = db.session.scalar(select(services.Centre).filter_by(name=services.DEMO_CENTRE_NAME))
    assert [entry.display_name for entry in services.roster(centre)] == ["Sam"]
