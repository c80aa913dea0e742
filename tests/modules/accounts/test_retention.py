"""Retention: last activity kept current cheaply, inactive accounts flagged to admins,
the audit log and finished invitations pruned."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from academy.core import clock
from academy.core.clock import utcnow
from academy.core.extensions import db
from academy.modules.accounts import invitations, privacy
from academy.modules.accounts.models import Role, User
from academy.modules.centres.models import VerificationLogEntry
from academy.modules.certificates import services as certificates
from tests.conftest import build_config
from tests.modules.accounts.seed import complete_module


@pytest.fixture
def app_config(tmp_path) -> dict:
    return build_config(tmp_path, RATELIMIT_ENABLED=False, ACADEMY_INACTIVE_DAYS=100)


@pytest.fixture
def user_updates(app):
    """The UPDATE statements on users sent to the database during the test."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("UPDATE USERS"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield statements
    event.remove(db.engine, "before_cursor_execute", record)


def last_active(user: User):
    db.session.expire_all()
    return db.session.get(User, user.id).last_active_at


# --- last activity ------------------------------------------------------------------------


def test_signing_in_records_the_time_of_sign_in(client, auth, trainee):
    """Written by the sign-in itself, not left to the next page's hook."""
    clock.travel(timedelta(days=30))
    before = utcnow()

    assert auth.sign_in(trainee).status_code == 302

    assert before <= last_active(trainee) <= utcnow()


def test_last_activity_is_written_at_most_once_an_hour(client, auth, trainee, user_updates):
    auth.sign_in(trainee)
    signed_in_at = last_active(trainee)
    user_updates.clear()

    for minutes in (20, 20, 19):  # within the idle timeout, which would sign out
        clock.travel(timedelta(minutes=minutes))
        assert client.get("/modules").status_code == 200
        assert client.get("/certificates").status_code == 200
    assert user_updates == []
    assert last_active(trainee) == signed_in_at

    clock.travel(timedelta(minutes=2))
    client.get("/modules")
    client.get("/certificates")
    assert len(user_updates) == 1
    assert last_active(trainee) - signed_in_at >= timedelta(hours=1)


def test_static_files_and_anonymous_visits_do_not_touch_anything(
    client, auth, trainee, user_updates
):
    client.get("/verify")
    auth.sign_in(trainee)
    trainee.last_active_at = utcnow() - timedelta(hours=2)  # stale
    db.session.commit()
    user_updates.clear()

    with client.get("/static/css/app.css") as response:
        assert response.status_code == 200
    assert client.get("/api/v1/certificates/ABCD-EFGH-JKMN-PQRS-TVWX").status_code == 404
    assert user_updates == []
    client.get("/modules")
    assert len(user_updates) == 1


# --- inactive accounts --------------------------------------------------------------------


def test_only_admins_see_the_accounts_page(client, auth, make_user):
    for role in (Role.TRAINEE, Role.TRAINER, Role.CENTRE):
        auth.sign_in(make_user(role))
        assert client.get("/admin/accounts").status_code == 403
        client.post("/sign-out")


def test_inactive_accounts_are_flagged_to_admins(client, auth, admin, make_user):
    old = make_user(Role.TRAINEE, "gone-quiet")
    old_trainer = make_user(Role.TRAINER, "old-trainer")
    recent = make_user(Role.TRAINEE, "still-here")
    old.last_active_at = utcnow() - timedelta(days=101)
    old_trainer.last_active_at = utcnow() - timedelta(days=150)
    recent.last_active_at = utcnow() - timedelta(days=99)
    db.session.commit()

    assert [u.username for u in privacy.inactive_accounts()] == ["old-trainer", "gone-quiet"]
    auth.sign_in(admin)
    page = client.get("/admin/accounts").get_data(as_text=True)
    assert "more than 100 days" in page
    assert "gone-quiet" in page and "old-trainer" in page and "still-here" not in page
    assert (old.last_active_at.strftime("%Y-%m-%d")) in page
    assert "<td>Trainee (peer advisor in training)</td><td>2</td>" in page
    assert "<td>Admin</td><td>1</td>" in page
    assert f'href="/admin/accounts/{old.id}/delete"' in page


def test_an_admin_deletes_an_inactive_account_after_confirming(client, auth, admin, make_user):
    old = make_user(Role.TRAINEE, "gone-quiet", "Quiet")
    complete_module(old)
    code = certificates.certificates_for(old.id)[0].code
    old.last_active_at = utcnow() - timedelta(days=200)
    db.session.commit()
    auth.sign_in(admin)

    confirm = client.get(f"/admin/accounts/{old.id}/delete").get_data(as_text=True)
    assert "gone-quiet" in confirm and "cannot be undone" in confirm
    refused = client.post(f"/admin/accounts/{old.id}/delete", data={})
    assert refused.status_code == 400
    assert "Please tick the box to confirm." in refused.get_data(as_text=True)

    response = client.post(
        f"/admin/accounts/{old.id}/delete", data={"confirm": "y"}, follow_redirects=True
    )
    assert "The account gone-quiet and its data are deleted." in response.get_data(as_text=True)
    assert db.session.scalar(select(User).filter_by(username="gone-quiet")) is None
    result = certificates.verify_code(code)
    assert result.closed and result.holder_name is None


def test_active_accounts_cannot_be_deleted_from_the_retention_page(client, auth, admin, trainee):
    auth.sign_in(admin)
    assert client.get(f"/admin/accounts/{trainee.id}/delete").status_code == 404
    assert (
        client.post(f"/admin/accounts/{trainee.id}/delete", data={"confirm": "y"}).status_code
        == 404
    )
    assert db.session.get(User, trainee.id) is not None


def test_the_last_admin_is_kept_even_when_inactive(app, admin):
    admin.last_active_at = utcnow() - timedelta(days=400)
    db.session.commit()
    with pytest.raises(Exception, match="last admin"):
        privacy.delete_account(admin)


# --- pruning ------------------------------------------------------------------------------


def add_check(days_ago: int) -> None:
    db.session.add(
        VerificationLogEntry(
            checked_at=utcnow() - timedelta(days=days_ago),
            code="ABCDEFGHJKMNPQRSTVWX",
            result="valid",
            via="page",
        )
    )


def log_size() -> int:
    return db.session.scalar(select(func.count()).select_from(VerificationLogEntry))


def test_prune_deletes_only_audit_entries_past_retention(app, admin):
    for days_ago in (0, 179, 181, 400):
        add_check(days_ago)
    _, token = invitations.create_invitation(admin, Role.TRAINEE, days_valid=1)
    db.session.commit()
    clock.travel(timedelta(days=2))  # the invitation expires; 179 days becomes 181
    runner = app.test_cli_runner()

    dry = runner.invoke(args=["prune", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "verification log entries past retention: 3 would be deleted" in dry.output
    assert "invitations expired unused, or used past retention: 1 would be deleted" in dry.output
    assert log_size() == 4

    result = runner.invoke(args=["prune"])
    assert "Audit log retention: 180 days." in result.output
    assert "verification log entries past retention: 3 deleted" in result.output
    db.session.expire_all()
    remaining = db.session.scalars(select(VerificationLogEntry.checked_at)).all()
    assert len(remaining) == 1 and utcnow() - remaining[0] < timedelta(days=180)
    with pytest.raises(invitations.UnknownInvitation):
        invitations.check_invitation(token)

    again = runner.invoke(args=["prune"])
    assert "verification log entries past retention: 0 deleted" in again.output


def test_the_retention_period_is_a_setting(app):
    app.config["ACADEMY_AUDIT_LOG_DAYS"] = 30
    add_check(29)
    add_check(31)
    db.session.commit()
    assert app.test_cli_runner().invoke(args=["prune"]).exit_code == 0
    db.session.expire_all()
    assert log_size() == 1
