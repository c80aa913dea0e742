"""Registration cannot be used to learn whether an account exists (docs/privacy.md).

Whoever holds an invitation link (or reaches open registration) must not learn whether a
given sign-in name exists: sign-in names are made up by the app, a name sent with the
form is ignored, and the answers do not depend on it. A link cannot be tried without
end either: refused attempts spend it.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from academy.core.extensions import db
from academy.modules.accounts import invitations, sign_in_names
from academy.modules.accounts.models import Role, User
from tests.conftest import PASSWORD, build_config
from tests.modules.accounts.test_registration_views import form_data, new_token, offered_name

EXISTING = ("taken-name", "sam@example.org")  # the second: an account made before the rule


@pytest.fixture
def app_config(tmp_path) -> dict:
    return build_config(tmp_path, RATELIMIT_ENABLED=False, ACADEMY_OPEN_REGISTRATION=True)


@pytest.fixture
def existing(make_user) -> list[User]:
    people = [make_user(Role.TRAINEE, "taken-name"), make_user(Role.TRAINEE, "sam-peer")]
    people[1].username = "sam@example.org"
    db.session.commit()
    return people


def account_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def without_variable_parts(page: str) -> str:
    """The page with the made-up name and the CSRF token blanked (they differ per visit)."""
    page = page.replace(offered_name(page), "NAME")
    return re.sub(r'name="csrf_token"[^>]*>', "", page)


def answer(app, url: str, username: str, **fields):
    """Register at ``url`` as a new visitor, sending ``username`` as the sign-in name."""
    client = app.test_client()
    client.get(url)
    response = client.post(url, data={"username": username, **form_data(**fields)})
    client.post("/sign-out")  # the tests share one app context, and with it Flask-Login's g
    return response


@pytest.mark.parametrize("wanted", EXISTING)
def test_an_invitation_does_not_tell_whether_a_name_exists(app, trainer, existing, wanted):
    def both(**fields):
        tried = answer(app, f"/register/{new_token(trainer)}", wanted, **fields)
        fresh = answer(app, f"/register/{new_token(trainer)}", "nobody-has-this", **fields)
        return tried, fresh

    tried, fresh = both(password="short")  # refused: the same page, whatever the name
    assert tried.status_code == fresh.status_code == 400
    assert without_variable_parts(tried.get_data(as_text=True)) == without_variable_parts(
        fresh.get_data(as_text=True)
    )
    tried, fresh = both()  # accepted: both, under names the app made up
    assert tried.status_code == fresh.status_code == 302
    assert "taken" not in tried.get_data(as_text=True)
    assert account_count() == len(existing) + 1 + 2


@pytest.mark.parametrize("wanted", EXISTING)
def test_a_registration_never_takes_the_name_sent_with_the_form(app, trainer, existing, wanted):
    response = answer(app, f"/register/{new_token(trainer)}", wanted)

    assert response.status_code == 302
    newest = db.session.scalar(select(User).order_by(User.id.desc()))
    assert newest not in existing and newest.username != wanted
    assert re.fullmatch(r"[a-z]+-[a-z]+-\d{3}", newest.username)


def test_open_registration_does_not_tell_whether_a_name_exists(app, existing):
    tried = answer(app, "/register", "taken-name", confirm_password="differs")
    fresh = answer(app, "/register", "nobody-has-this", confirm_password="differs")
    assert without_variable_parts(tried.get_data(as_text=True)) == without_variable_parts(
        fresh.get_data(as_text=True)
    )
    assert answer(app, "/register", "taken-name").status_code == 302
    assert {user.username for user in existing} == set(EXISTING)
    assert account_count() == 3


def test_refused_attempts_spend_the_invitation(client, trainer):
    token = new_token(trainer)
    client.get(f"/register/{token}")
    for tries_left in range(invitations.MAX_FAILED_TRIES - 1, 0, -1):
        refused = client.post(f"/register/{token}", data=form_data(confirm_password="typo"))
        assert refused.status_code == 400
        assert f"This link works for {tries_left} more" in refused.get_data(as_text=True)

    last = client.post(f"/register/{token}", data=form_data(confirm_password="typo"))
    assert last.status_code == 410
    assert "tried too many times" in last.get_data(as_text=True)
    for response in (
        client.get(f"/register/{token}"),
        client.post(f"/register/{token}", data=form_data()),
    ):
        assert response.status_code == 410
    assert account_count() == 1  # only the trainer
    with pytest.raises(invitations.TriedTooOften):
        invitations.redeem_invitation(token, "late-name", PASSWORD, "Late")


def test_another_name_is_offered_on_request_without_spending_a_try(client, trainer):
    token = new_token(trainer)
    first = offered_name(client.get(f"/register/{token}").get_data(as_text=True))
    assert offered_name(client.get(f"/register/{token}").get_data(as_text=True)) == first

    names = {first}
    for _ in range(invitations.MAX_FAILED_TRIES + 1):
        page = client.post(f"/register/{token}", data={"another_name": "1"})
        assert page.status_code == 200 and 'class="error"' not in page.get_data(as_text=True)
        names.add(offered_name(page.get_data(as_text=True)))
    assert len(names) > 1

    assert client.post(f"/register/{token}", data=form_data()).status_code == 302
    assert db.session.scalar(select(User).filter_by(role="trainee")).username in names


def test_an_offered_name_is_never_someone_elses(app, existing, monkeypatch):
    made_up = iter(["taken-name", "taken-name", "calm-river-123"])
    monkeypatch.setattr(sign_in_names, "random_name", lambda: next(made_up))
    assert sign_in_names.free_name() == "calm-river-123"
