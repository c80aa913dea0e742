"""Deleting one's account: data erased, certificates revoked without a name, sessions ended."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from academy.core.extensions import db
from academy.modules.accounts import privacy
from academy.modules.accounts import services as accounts
from academy.modules.accounts.models import Role, User
from academy.modules.centres import membership
from academy.modules.centres.models import Centre, Coordinator, Membership, VerificationLogEntry
from academy.modules.certificates import services as certificates
from academy.modules.certificates.models import Certificate, Pause
from academy.modules.practice.models import ObservationResult, ObservationSession
from academy.modules.progress.models import LessonProgress, ModuleProgress
from academy.modules.quizzes.models import QuizAttempt, QuizWaitLift
from tests.conftest import PASSWORD, build_config
from tests.modules.accounts.seed import seed_person

PER_USER_TABLES = (
    LessonProgress,
    ModuleProgress,
    QuizAttempt,
    QuizWaitLift,
    ObservationSession,
    Pause,
    Membership,
)


@pytest.fixture
def app_config(tmp_path) -> dict:
    return build_config(tmp_path, RATELIMIT_ENABLED=False)


@pytest.fixture
def people(make_user, trainer):
    ayo = seed_person(make_user, trainer, "ayo-sign-in", "Ayo", "Centre A", "ayo@example.org")
    bea = seed_person(make_user, trainer, "bea-sign-in", "Bea", "Centre B")
    return ayo, bea


def rows_of(user_id: int) -> dict[str, int]:
    return {
        model.__tablename__: db.session.scalar(
            select(func.count()).select_from(model).where(model.user_id == user_id)
        )
        for model in PER_USER_TABLES
    }


def delete_own_account(client, password=PASSWORD, confirm="y"):
    data = {"password": password}
    if confirm:
        data["confirm"] = confirm
    return client.post("/account/delete", data=data)


def test_every_foreign_key_to_users_cascades_or_is_set_null(app):
    for table in db.metadata.tables.values():
        for key in table.foreign_keys:
            if key.column.table.name == "users":
                assert key.ondelete in ("CASCADE", "SET NULL"), f"{table.name}.{key.parent.name}"


def test_the_page_says_plainly_what_will_happen(client, auth, trainee):
    auth.sign_in(trainee)
    page = client.get("/account/delete").get_data(as_text=True)
    assert "Revoked — the holder closed their account" in page
    assert "cannot be undone" in page
    assert 'name="password"' in page and 'name="confirm"' in page


def test_the_password_and_the_checkbox_are_required(client, auth, people):
    ayo, _ = people
    auth.sign_in(ayo.user)

    wrong = delete_own_account(client, password="not the password")
    assert wrong.status_code == 400
    assert "The password is not right." in wrong.get_data(as_text=True)
    unticked = delete_own_account(client, confirm=None)
    assert unticked.status_code == 400
    unticked_page = unticked.get_data(as_text=True)
    error = '<p class="error" id="confirm-error">Please tick the box to confirm.</p>'
    assert error in unticked_page
    assert 'aria-describedby="confirm-error"' in unticked_page
    assert db.session.get(User, ayo.user.id) is not None


def test_deletion_erases_the_person_and_leaves_others_untouched(client, auth, people):
    ayo, bea = people
    ayo_id, bea_id = ayo.user.id, bea.user.id
    before_bea = rows_of(bea_id)
    assert all(rows_of(ayo_id).values())  # the seed reached every table
    auth.sign_in(ayo.user)

    response = delete_own_account(client)

    assert response.status_code == 302 and response.headers["Location"].endswith("/")
    start = client.get("/").get_data(as_text=True)
    assert "Your account and your data are deleted." in start
    db.session.expire_all()
    assert db.session.get(User, ayo_id) is None
    assert set(rows_of(ayo_id).values()) == {0}
    assert rows_of(bea_id) == before_bea
    # a session's results go with it: only Bea's two remain
    assert db.session.scalar(select(func.count()).select_from(ObservationResult)) == 2
    assert db.session.get(User, bea_id).display_name == "Bea"
    assert certificates.verify_code(bea.certificate.code).holder_name == "Bea"
    # the centres themselves stay
    assert db.session.scalar(select(func.count()).select_from(Centre)) == 2


def test_certificates_verify_as_revoked_without_a_name(client, auth, people):
    ayo, _ = people
    code = ayo.certificate.code
    auth.sign_in(ayo.user)
    delete_own_account(client)

    db.session.expire_all()  # the request committed in its own session
    certificate = db.session.scalar(select(Certificate).filter_by(code=code))
    assert certificate.user_id is None and certificate.holder_name == ""
    assert certificate.revoked_at is not None and certificate.revoked_by_id is None
    assert certificate.revocation_reason == "holder closed their account"

    result = certificates.verify_code(code)
    assert result.status == "revoked" and result.closed and result.holder_name is None
    page = client.get(f"/verify?code={code}").get_data(as_text=True)
    assert "Revoked — the holder closed their account" in page
    assert "Ayo" not in page and "Holder" not in page
    api = client.get(f"/api/v1/certificates/{code}").get_json()
    assert api["status"] == "revoked"
    assert api["holder_closed_account"] is True and api["holder_name"] is None


def test_audit_entries_stay_without_the_person(client, auth, people):
    ayo, _ = people
    ayo_id = ayo.user.id
    entries = db.session.scalar(
        select(func.count()).select_from(VerificationLogEntry).filter_by(user_id=ayo_id)
    )
    total = db.session.scalar(select(func.count()).select_from(VerificationLogEntry))
    auth.sign_in(ayo.user)
    delete_own_account(client)

    assert entries == 1
    assert db.session.scalar(select(func.count()).select_from(VerificationLogEntry)) == total
    assert (
        db.session.scalar(
            select(func.count()).select_from(VerificationLogEntry).filter_by(user_id=ayo_id)
        )
        == 0
    )


def test_the_sign_in_name_is_free_again(client, auth, people):
    ayo, _ = people
    auth.sign_in(ayo.user)
    delete_own_account(client)

    assert accounts.find_user("ayo-sign-in") is None
    again = accounts.create_user("ayo-sign-in", PASSWORD, Role.TRAINEE, "Someone new")
    db.session.commit()
    assert certificates.certificates_for(again.id) == []
    assert privacy.export_data(again)["quiz_attempts"] == []


def test_a_replayed_session_cookie_is_refused(app, client, auth, people):
    ayo, _ = people
    auth.sign_in(ayo.user)
    stolen = client.get_cookie("academy_session")
    assert stolen is not None
    delete_own_account(client)
    # Even if a new account gets the same id, the old cookie's nonce does not match.
    accounts.create_user("ayo-sign-in", PASSWORD, Role.TRAINEE, "Someone new")
    db.session.commit()

    replay = app.test_client()
    replay.set_cookie("academy_session", stolen.value, domain=stolen.domain)
    response = replay.get("/account")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert replay.get("/account/data.json").status_code == 302


def test_a_trainer_can_delete_their_account(client, auth, trainer, people):
    ayo, _ = people
    auth.sign_in(trainer)
    assert delete_own_account(client).status_code == 302

    record = db.session.scalar(select(ObservationSession).filter_by(user_id=ayo.user.id))
    assert record is not None and record.observed_by_id is None
    assert record.note == "practice note about Ayo"  # the trainee's record stays theirs
    results = db.session.scalars(select(ObservationResult).filter_by(session_id=record.id))
    assert sorted((r.criterion_id, r.met) for r in results) == [
        ("crisis-rule", False),
        ("no-story-questions", True),
    ]
    pause = db.session.scalar(select(Pause).filter_by(user_id=ayo.user.id))
    assert pause is not None and pause.started_by_id is None


def test_a_coordinator_can_delete_their_account(client, auth, people):
    ayo, _ = people
    coordinator_id = db.session.scalar(
        select(Coordinator.user_id).filter_by(centre_id=ayo.centre.id)
    )
    auth.sign_in(db.session.get(User, coordinator_id))
    assert delete_own_account(client).status_code == 302

    assert db.session.get(User, coordinator_id) is None
    assert db.session.scalar(select(Coordinator).filter_by(user_id=coordinator_id)) is None
    assert db.session.get(Centre, ayo.centre.id) is not None
    assert membership.centres_of(ayo.user) == [ayo.centre]


def test_the_last_admin_cannot_delete_their_account(client, auth, make_user):
    admin = make_user(Role.ADMIN, "admin-one")
    auth.sign_in(admin)
    assert "This is the last admin account" in client.get("/account/delete").get_data(as_text=True)

    response = delete_own_account(client)
    assert response.status_code == 400
    assert "last admin account, so it cannot be deleted" in response.get_data(as_text=True)
    assert db.session.get(User, admin.id) is not None

    make_user(Role.ADMIN, "admin-two")
    assert delete_own_account(client).status_code == 302
    assert accounts.find_user("admin-one") is None


def test_deletion_works_without_any_data(app, trainee):
    privacy.delete_account(trainee)
    db.session.commit()
    assert accounts.find_user(trainee.username) is None
