"""Pacing through the services (academy/modules/quizzes/pacing.py): after failed attempts
in a row the next attempt opens later; a pass, a new version and a trainer's lift end
the run."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from academy.core import clock
from academy.core.catalogue import current_catalogue
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.quizzes import pacing
from academy.modules.quizzes import services as quizzes
from academy.modules.quizzes.models import QuizAttempt, QuizWaitLift
from tests import right_answers, wrong_answers

START = datetime(2026, 3, 2, 9, 15)  # a Monday; Berlin is UTC+1 until 29 March
# q-sky right, q-fruit and q-cat wrong: 33 %, a failure that gets only q-fruit's lesson
ONLY_SKY_RIGHT = {"q-sky": ["1"], "q-fruit": ["2"], "q-cat": ["1"]}


@pytest.fixture(autouse=True)
def frozen(app):
    clock.freeze(START)


@pytest.fixture
def basics(app):
    return current_catalogue().modules["basics"]


def send(user_id: int, module, right: bool = False, answers=None) -> QuizAttempt:
    """Open and send one attempt, then let five minutes pass."""
    attempt = quizzes.open_attempt(user_id, module)
    answers = answers or (right_answers if right else wrong_answers)(
        module.slug, attempt.question_ids
    )
    attempt = quizzes.submit_attempt(user_id, attempt.id, answers)
    db.session.commit()
    clock.travel(timedelta(minutes=5))
    return attempt


def attempts_of(user_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(QuizAttempt).where(QuizAttempt.user_id == user_id)
    )


def test_three_failures_in_a_row_start_a_wait_of_24_hours_after_the_last(trainee, basics):
    send(trainee.id, basics)
    send(trainee.id, basics)
    assert pacing.wait_for(trainee.id, basics) is None
    last = send(trainee.id, basics)

    wait = pacing.wait_for(trainee.id, basics)

    assert last.submitted_at == datetime(2026, 3, 2, 9, 25)
    assert (wait.since, wait.opens_at) == (last.submitted_at, datetime(2026, 3, 3, 9, 25))


def test_opening_during_the_wait_is_refused_with_the_time_in_berlin(trainee, basics):
    for _ in range(3):
        send(trainee.id, basics)

    with pytest.raises(quizzes.QuizWaiting) as refused:
        quizzes.open_attempt(trainee.id, basics)

    assert isinstance(refused.value, UserError)
    assert str(refused.value) == (
        "Your next try at this quiz opens on Tuesday 3 March 2026 at 10:25 (Berlin time)."
    )
    assert attempts_of(trainee.id) == 3  # no attempt was opened


def test_the_quiz_opens_again_at_the_time_shown(trainee, basics):
    for _ in range(3):
        send(trainee.id, basics)
    clock.freeze(datetime(2026, 3, 3, 9, 24, 59))
    with pytest.raises(quizzes.QuizWaiting):
        quizzes.open_attempt(trainee.id, basics)

    clock.freeze(datetime(2026, 3, 3, 9, 25))

    assert quizzes.open_attempt(trainee.id, basics).submitted_at is None


def test_every_further_failure_in_a_row_waits_again(trainee, basics):
    for _ in range(3):
        send(trainee.id, basics)
    clock.freeze(datetime(2026, 3, 4, 8, 0))
    fourth = send(trainee.id, basics)

    assert pacing.wait_for(trainee.id, basics).opens_at == fourth.submitted_at + timedelta(hours=24)


def test_a_passed_attempt_ends_the_run_of_failures(trainee, basics):
    send(trainee.id, basics)
    send(trainee.id, basics)
    send(trainee.id, basics, right=True)
    send(trainee.id, basics)
    send(trainee.id, basics)
    assert pacing.wait_for(trainee.id, basics) is None

    send(trainee.id, basics)

    assert pacing.wait_for(trainee.id, basics) is not None


def test_a_new_version_of_the_module_starts_afresh(trainee, basics):
    for _ in range(3):
        send(trainee.id, basics)

    updated = replace(basics, version="2.0")

    assert pacing.wait_for(trainee.id, updated) is None
    assert quizzes.open_attempt(trainee.id, updated).module_version == "2.0"


def test_a_trainers_lift_ends_the_wait_and_records_who_and_when(trainee, basics, make_user):
    trainer = make_user(Role.TRAINER, "trainer-kim", "Trainer Kim")
    for _ in range(3):
        send(trainee.id, basics)

    pacing.lift_wait(trainee, basics, by=trainer)
    db.session.commit()

    assert pacing.wait_for(trainee.id, basics) is None
    ((lift, name),) = pacing.lifts_for(trainee.id)
    assert (lift.lifted_by_id, name, lift.lifted_at) == (trainer.id, "Trainer Kim", clock.utcnow())
    assert (lift.module_slug, lift.module_version) == ("basics", "1.0")
    clock.travel(timedelta(minutes=1))
    send(trainee.id, basics)
    send(trainee.id, basics)
    assert pacing.wait_for(trainee.id, basics) is None  # the failures before count no more
    send(trainee.id, basics)
    assert pacing.wait_for(trainee.id, basics) is not None


def test_there_is_nothing_to_lift_without_a_wait(trainee, basics, make_user):
    trainer = make_user(Role.TRAINER)
    send(trainee.id, basics)

    with pytest.raises(UserError, match="Ayo is not waiting for the quiz of Basics"):
        pacing.lift_wait(trainee, basics, by=trainer)
    assert db.session.scalar(select(func.count()).select_from(QuizWaitLift)) == 0


def test_another_trainees_failures_and_lifts_change_nothing_for_others(trainee, basics, make_user):
    other = make_user()
    for _ in range(3):
        send(other.id, basics)

    assert pacing.wait_for(trainee.id, basics) is None
    assert quizzes.open_attempt(trainee.id, basics).user_id == trainee.id
    assert pacing.wait_for(other.id, basics) is not None


def test_the_wait_suggests_the_lessons_of_the_questions_answered_wrong(trainee, basics):
    for _ in range(3):
        send(trainee.id, basics, answers=ONLY_SKY_RIGHT)

    wait = pacing.wait_for(trainee.id, basics)

    assert [lesson.slug for lesson in wait.reread] == ["next-steps"]  # q-cat names none


@pytest.mark.parametrize(("fails", "hours", "waits"), [(1, 2, True), (3, 0, False)])
def test_both_numbers_come_from_the_quiz(trainee, basics, fails, hours, waits):
    paced = replace(basics, quiz=replace(basics.quiz, fails_before_wait=fails, wait_hours=hours))
    send(trainee.id, paced)

    wait = pacing.wait_for(trainee.id, paced)

    assert (wait is not None) is waits
    if waits:
        assert wait.opens_at == START + timedelta(hours=hours)


def test_the_attempt_that_starts_the_wait_is_graded_however_it_is_sent(trainee, basics):
    send(trainee.id, basics)
    send(trainee.id, basics)
    third = quizzes.open_attempt(trainee.id, basics)
    wrong = wrong_answers("basics", third.question_ids)

    first = quizzes.submit_attempt(trainee.id, third.id, wrong)
    again = quizzes.submit_attempt(
        trainee.id, third.id, right_answers("basics", third.question_ids)
    )

    assert first.submitted_at is not None and again.score == first.score == 0
    assert pacing.wait_for(trainee.id, basics) is not None


def test_an_attempt_opened_before_the_wait_began_is_shown_and_graded(trainee, basics):
    opened = quizzes.open_attempt(trainee.id, basics)
    db.session.commit()
    # The app never has two attempts of a version open, so the failures that start the
    # wait are written directly: what counts is when the attempt was opened.
    for minute in (1, 2, 3):
        sent = START + timedelta(minutes=minute)
        db.session.add(_failed_attempt(trainee.id, sent))
    clock.freeze(START + timedelta(minutes=10))
    db.session.commit()
    assert pacing.wait_for(trainee.id, basics) is not None

    shown = quizzes.open_attempt(trainee.id, basics)
    graded = quizzes.submit_attempt(
        trainee.id, opened.id, right_answers("basics", opened.question_ids)
    )

    assert shown.id == opened.id
    assert (graded.score, graded.passed) == (100, True)


def test_an_attempt_opened_after_the_wait_began_waits_with_its_answers_kept(trainee, basics):
    for _ in range(3):
        send(trainee.id, basics)
    # a second tab opened it as the third failure was being graded
    late = QuizAttempt(
        user_id=trainee.id, module_slug="basics", module_version="1.0", question_ids=["q-sky"]
    )
    db.session.add(late)
    db.session.commit()

    with pytest.raises(quizzes.QuizWaiting):
        quizzes.submit_attempt(trainee.id, late.id, {"q-sky": ["1"]})
    db.session.commit()
    with pytest.raises(quizzes.QuizWaiting):
        quizzes.open_attempt(trainee.id, basics)

    db.session.expire_all()
    assert (late.submitted_at, late.answers) == (None, {"q-sky": ["1"]})
    clock.freeze(datetime(2026, 3, 3, 9, 25))
    assert quizzes.open_attempt(trainee.id, basics).id == late.id
    assert quizzes.submit_attempt(trainee.id, late.id, {"q-sky": ["1"]}).score == 100


def _failed_attempt(user_id: int, sent: datetime) -> QuizAttempt:
    return QuizAttempt(
        user_id=user_id,
        module_slug="basics",
        module_version="1.0",
        question_ids=["q-sky"],
        answers={"q-sky": ["2"]},
        score=0,
        passed=False,
        started_at=sent,
        submitted_at=sent,
    )


def test_the_trainer_page_lists_every_quiz_waited_for(trainee, basics):
    for _ in range(3):
        send(trainee.id, basics)

    assert [(module.slug, wait.opens_at) for module, wait in pacing.waits_for(trainee.id)] == [
        ("basics", datetime(2026, 3, 3, 9, 25))
    ]


@pytest.mark.parametrize("role", [Role.TRAINER, Role.CENTRE, Role.ADMIN])
def test_only_trainees_wait_others_preview_the_quiz(make_user, basics, role):
    previewer = make_user(role)
    for _ in range(3):
        send(previewer.id, basics)

    assert pacing.wait_for(previewer.id, basics) is None
    assert quizzes.open_attempt(previewer.id, basics).user_id == previewer.id
