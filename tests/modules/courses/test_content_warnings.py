"""Content warnings: shown before the first lesson and the quiz, the choice remembered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from academy.core import clock
from academy.core.catalogue import current_catalogue
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.progress import services as progress
from academy.modules.progress.models import ModuleProgress
from tests import complete_module
from tests.conftest import AuthActions, csrf_token_from

WARNING = "This fixture module mentions difficult things."
LESSON = "/modules/advanced/lessons/only"
LESSON_TEXT = "There is one lesson here."
ACCEPT = "/modules/advanced/content-warning"


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER, "trainer-one", "Trainer Kim")


@pytest.fixture
def ready_trainee(trainee):
    """A trainee who completed basics, so advanced is open to them."""
    complete_module(trainee.id, "basics")
    return trainee


def module_progress(user_id: int) -> ModuleProgress | None:
    db.session.expire_all()
    return db.session.scalar(
        select(ModuleProgress).filter_by(user_id=user_id, module_slug="advanced")
    )


def accepted(user_id: int) -> bool:
    row = module_progress(user_id)
    return row is not None and row.warning_accepted_at is not None


def test_the_first_lesson_shows_the_warning_and_three_choices_instead(client, auth, trainer):
    auth.sign_in(trainer)

    response = client.get(LESSON)

    page = response.text
    assert response.status_code == 200
    assert "<h1>Before you start</h1>" in page
    assert f"<p>{WARNING}</p>" in page
    assert LESSON_TEXT not in page
    assert f'<form method="post" action="{ACCEPT}">' in page
    assert 'name="then" type="hidden" value="only"' in page
    assert '<button type="submit" class="button">Continue</button>' in page
    assert '<a class="button secondary" href="/modules">Choose another module</a>' in page
    assert '<a class="button secondary" href="/take-a-break">Take a break</a>' in page
    assert "Need support?" in page
    assert not accepted(trainer.id)
    row = module_progress(trainer.id)
    assert row is None or row.last_lesson_slug is None  # the lesson was not opened


def test_a_trainee_who_completed_the_prerequisite_sees_it_too(client, auth, ready_trainee):
    auth.sign_in(ready_trainee)

    page = client.get(LESSON).text

    assert "<h1>Before you start</h1>" in page and WARNING in page
    assert LESSON_TEXT not in page


def test_continue_records_the_choice_and_opens_the_lesson(client, auth, ready_trainee):
    auth.sign_in(ready_trainee)
    client.get(LESSON)

    response = client.post(ACCEPT, data={"then": "only"})

    assert response.status_code == 302
    assert response.location == LESSON
    assert accepted(ready_trainee.id)
    page = client.get(LESSON).text
    assert LESSON_TEXT in page and "Before you start" not in page


def test_the_choice_is_remembered_across_sessions_and_devices(app, ready_trainee):
    phone, laptop = app.test_client(), app.test_client()
    AuthActions(phone).sign_in(ready_trainee)
    phone.post(ACCEPT, data={"then": "only"})

    AuthActions(laptop).sign_in(ready_trainee)

    page = laptop.get(LESSON).text
    assert LESSON_TEXT in page and WARNING not in page


def test_accepting_twice_keeps_the_first_time(ready_trainee):
    module = current_catalogue().modules["advanced"]
    progress.accept_content_warning(ready_trainee.id, module)
    db.session.commit()
    first = module_progress(ready_trainee.id).warning_accepted_at

    clock.travel(timedelta(days=3))
    progress.accept_content_warning(ready_trainee.id, module)
    db.session.commit()

    assert module_progress(ready_trainee.id).warning_accepted_at == first
    assert progress.module_status(ready_trainee.id, module).warning_accepted


def test_one_trainees_choice_does_not_count_for_another(client, auth, trainer, make_user):
    other = make_user(Role.TRAINER, "trainer-two")
    progress.accept_content_warning(trainer.id, current_catalogue().modules["advanced"])
    db.session.commit()

    auth.sign_in(other)

    assert "Before you start" in client.get(LESSON).text


def test_continue_needs_a_valid_csrf_token(app, client, auth, trainer):
    app.config["WTF_CSRF_ENABLED"] = True
    auth.sign_in(trainer)
    page = client.get(LESSON).text

    refused = client.post(ACCEPT, data={"then": "only"})

    assert refused.status_code == 400
    assert "Nothing was saved" in refused.text
    assert not accepted(trainer.id)

    response = client.post(ACCEPT, data={"then": "only", "csrf_token": csrf_token_from(page)})

    assert response.status_code == 302 and response.location == LESSON
    assert accepted(trainer.id)


def test_the_quiz_waits_for_the_choice_too(client, auth, ready_trainee):
    auth.sign_in(ready_trainee)

    response = client.get("/modules/advanced/quiz")

    assert response.status_code == 302
    assert response.location == f"{ACCEPT}?then=quiz"
    page = client.get(response.location).text
    assert "<h1>Before you start</h1>" in page and WARNING in page
    assert 'name="then" type="hidden" value="quiz"' in page

    accepted_response = client.post(ACCEPT, data={"then": "quiz"})

    assert accepted_response.location == "/modules/advanced/quiz"
    quiz = client.get("/modules/advanced/quiz")
    assert quiz.status_code == 200 and "Before you start" not in quiz.text


def test_an_unknown_next_step_leads_to_the_first_lesson(client, auth, trainer):
    auth.sign_in(trainer)

    response = client.post(ACCEPT, data={"then": "https://elsewhere.example/"})

    assert response.location == LESSON


def test_the_warning_page_after_acceptance_goes_straight_on(client, auth, trainer):
    auth.sign_in(trainer)
    client.post(ACCEPT, data={"then": "only"})

    assert client.get(f"{ACCEPT}?then=quiz").location == "/modules/advanced/quiz"


def test_a_lesson_cannot_be_marked_studied_past_the_warning(client, auth, trainer):
    auth.sign_in(trainer)

    client.post(f"{LESSON}/studied")

    module = current_catalogue().modules["advanced"]
    assert not progress.module_status(trainer.id, module).studied


def test_the_module_page_shows_the_warning(client, auth, trainer):
    auth.sign_in(trainer)

    page = client.get("/modules/advanced").text

    assert f"<strong>Content warning:</strong> {WARNING}" in page
    assert "Before the first lesson, you can choose" in page
    client.post(ACCEPT, data={"then": "only"})
    page = client.get("/modules/advanced").text
    assert WARNING in page and "Before the first lesson" not in page


def test_a_module_without_a_warning_opens_directly(client, auth, trainee):
    auth.sign_in(trainee)

    page = client.get("/modules/basics/lessons/first-steps").text

    assert "This is the first lesson." in page
    assert "Before you start" not in page and "Content warning" not in page
    assert "Content warning" not in client.get("/modules/basics").text


def test_take_a_break_goes_back_with_a_kind_word(client, auth, trainer):
    auth.sign_in(trainer)

    response = client.get("/take-a-break")

    assert response.location == "/modules"
    page = client.get("/modules").text
    assert "Take all the time you need." in page
    assert not accepted(trainer.id)


def test_a_locked_module_stays_locked_behind_its_warning(client, auth, trainee):
    auth.sign_in(trainee)

    assert client.get(LESSON).location == "/modules/advanced"
    client.post(ACCEPT, data={"then": "only"})
    assert not accepted(trainee.id)
