"""A trainer lifts a trainee's wait before the next quiz attempt: on the trainee's page,
with the CSRF token, for trainees only, recorded with who and when (and in the data
download); the trainee can take the quiz again at once."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from academy.core import clock
from academy.core.catalogue import current_catalogue
from academy.core.extensions import db
from academy.modules.accounts import privacy
from academy.modules.accounts.models import Role
from academy.modules.quizzes import services as quizzes
from academy.modules.quizzes.models import QuizWaitLift
from tests import wrong_answers
from tests.conftest import csrf_token_from

START = datetime(2026, 3, 2, 9, 15)
OPENS = '<time datetime="2026-03-03T10:25+01:00">Tuesday 3 March 2026 at 10:25</time>'


@pytest.fixture(autouse=True)
def frozen(app):
    clock.freeze(START)


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER, "trainer-one", "Trainer Kim")


def fail_three_times(user_id: int) -> None:
    module = current_catalogue().modules["basics"]
    for _ in range(3):
        attempt = quizzes.open_attempt(user_id, module)
        quizzes.submit_attempt(user_id, attempt.id, wrong_answers("basics", attempt.question_ids))
        db.session.commit()
        clock.travel(timedelta(minutes=5))


def lifts() -> list[QuizWaitLift]:
    db.session.expire_all()
    return list(db.session.scalars(select(QuizWaitLift)))


def lift(client, user_id: int, slug: str = "basics", **data):
    return client.post(f"/trainer/trainees/{user_id}/quiz-waits/{slug}/lift", data=data)


def test_the_trainees_page_shows_the_wait_and_a_button_to_lift_it(client, auth, trainer, trainee):
    fail_three_times(trainee.id)
    auth.sign_in(trainer)

    page = client.get(f"/trainer/trainees/{trainee.id}").text

    assert f"Basics: the next try opens on {OPENS}" in page
    assert f'action="/trainer/trainees/{trainee.id}/quiz-waits/basics/lift"' in page
    assert "Lift the wait: Basics" in page
    for private in ("33 %", "0 %", "Not right", "Your answer"):  # attempts stay private
        assert private not in page


def test_a_lifted_wait_lets_the_trainee_take_the_quiz_now_and_is_recorded(
    app, client, auth, trainer, trainee
):
    fail_three_times(trainee.id)
    auth.sign_in(trainer)

    response = lift(client, trainee.id)

    assert response.location == f"/trainer/trainees/{trainee.id}"
    page = client.get(response.location).text
    assert "Ayo can take the quiz of Basics again now." in page
    assert "Not waiting for any quiz." in page
    assert "Basics (version 1.0): lifted 2026-03-02 09:30 UTC by Trainer Kim" in page
    ((record,),) = [lifts()]
    assert (record.user_id, record.lifted_by_id, record.lifted_at) == (
        trainee.id,
        trainer.id,
        START + timedelta(minutes=15),
    )
    learner = app.test_client()
    learner.post(
        "/sign-in", data={"username": trainee.username, "password": "correct horse battery"}
    )
    assert 'action="/quiz/attempts/' in learner.get("/modules/basics/quiz").text


def test_lifting_needs_the_token_of_the_page(app, client, trainer, trainee):
    app.config["WTF_CSRF_ENABLED"] = True
    fail_three_times(trainee.id)
    sign_in_page = client.get("/sign-in").text
    client.post(
        "/sign-in",
        data={
            "username": trainer.username,
            "password": "correct horse battery",
            "csrf_token": csrf_token_from(sign_in_page),
        },
    )

    refused = lift(client, trainee.id)
    assert refused.status_code == 400
    assert lifts() == []

    token = csrf_token_from(client.get(f"/trainer/trainees/{trainee.id}").text)
    assert lift(client, trainee.id, csrf_token=token).status_code == 302
    assert len(lifts()) == 1


@pytest.mark.parametrize("role", [Role.TRAINER, Role.CENTRE, Role.ADMIN])
def test_there_is_no_wait_to_lift_for_someone_who_is_not_a_trainee(
    client, auth, trainer, make_user, role
):
    staff = make_user(role)
    auth.sign_in(trainer)

    assert lift(client, staff.id).status_code == 404
    assert lifts() == []


def test_a_trainee_cannot_lift_a_wait_not_even_their_own(client, auth, trainee):
    fail_three_times(trainee.id)
    auth.sign_in(trainee)

    assert lift(client, trainee.id).status_code == 403
    assert lifts() == []


def test_nothing_to_lift_and_unknown_quizzes_are_refused(client, auth, trainer, trainee):
    auth.sign_in(trainer)

    nothing = lift(client, trainee.id)
    assert "Ayo is not waiting for the quiz of Basics." in client.get(nothing.location).text
    assert lift(client, trainee.id, slug="no-such-module").status_code == 404
    assert lifts() == []


def test_lifting_for_one_trainee_leaves_another_waiting(client, auth, trainer, trainee, make_user):
    other = make_user(Role.TRAINEE, "other-one", "Bea")
    fail_three_times(trainee.id)
    fail_three_times(other.id)
    auth.sign_in(trainer)

    lift(client, trainee.id)

    assert "Not waiting for any quiz." in client.get(f"/trainer/trainees/{trainee.id}").text
    assert "the next try opens on" in client.get(f"/trainer/trainees/{other.id}").text


def test_the_lift_is_in_the_trainees_data_and_outlives_the_trainers_account(
    client, auth, trainer, trainee
):
    fail_three_times(trainee.id)
    auth.sign_in(trainer)
    lift(client, trainee.id)

    exported = privacy.export_data(trainee)["quiz_wait_lifts"]
    assert exported == [
        {"module_slug": "basics", "module_version": "1.0", "lifted_at": "2026-03-02T09:30:00"}
    ]
    assert "Trainer Kim" not in str(privacy.export_data(trainee))  # the trainer's own record

    privacy.delete_account(trainer)
    db.session.commit()
    (record,) = lifts()
    assert record.lifted_by_id is None
    admin = _signed_in_admin(client, auth)
    assert (
        "lifted 2026-03-02 09:30 UTC by a former trainer"
        in admin.get(f"/trainer/trainees/{trainee.id}").text
    )

    privacy.delete_account(trainee)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(QuizWaitLift)) == 0


def _signed_in_admin(client, auth):
    from academy.modules.accounts import services as accounts

    admin = accounts.create_user("admin-one", "correct horse battery", Role.ADMIN, "Admin")
    db.session.commit()
    auth.sign_in(admin)
    return client
