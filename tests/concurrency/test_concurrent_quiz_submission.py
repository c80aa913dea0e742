"""Twenty submissions of one quiz attempt at the same moment: graded and recorded once.

A double click, a resent form and a flaky connection all look like this. The
conditional UPDATE in ``quizzes.services.submit_attempt`` lets exactly one request
record the sheet; every other one must answer with the same result, not an error.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select

from academy.core.catalogue import current_catalogue
from academy.core.extensions import db
from academy.modules.certificates.models import Certificate
from academy.modules.progress import services as progress
from academy.modules.progress.models import ModuleProgress
from academy.modules.quizzes import services as quizzes
from academy.modules.quizzes.models import QuizAttempt

from .conftest import THREADS, answers_for, post_all_at_once, session_cookie


def ready_for_quiz(user_id: int, module_slug: str) -> QuizAttempt:
    """Every lesson studied and an attempt open: the quiz is the last step."""
    module = current_catalogue().modules[module_slug]
    for lesson in module.lessons:
        progress.mark_lesson_studied(user_id, module, lesson)
    attempt = quizzes.open_attempt(user_id, module)
    db.session.commit()
    return attempt


def test_one_attempt_sent_twenty_times_at_once_is_graded_once(
    app, client, auth, make_user, completions
):
    trainee = make_user()
    attempt = ready_for_quiz(trainee.id, "basics")
    form = answers_for("basics", attempt.question_ids, right=True)
    cookie = session_cookie(client, auth, trainee)

    url = f"/quiz/attempts/{attempt.id}"
    results = post_all_at_once(app, cookie, [(url, form)] * THREADS)

    # every request ends on the one result page, none on an error page
    assert results == [(302, url)] * THREADS
    db.session.expire_all()
    attempts = db.session.scalars(select(QuizAttempt).filter_by(user_id=trainee.id)).all()
    assert len(attempts) == 1
    assert attempts[0].submitted and attempts[0].passed and attempts[0].score == 100
    # graded once: the module was completed once, so one certificate
    assert completions == [(trainee.id, "basics", "1.0")]
    certificates = db.session.scalar(
        select(func.count()).select_from(Certificate).filter_by(user_id=trainee.id)
    )
    assert certificates == 1
    row = db.session.scalar(select(ModuleProgress).filter_by(user_id=trainee.id))
    assert row.completed_version == "1.0" and row.quiz_passed_version == "1.0"
    page = client.get(f"/quiz/attempts/{attempt.id}")
    assert page.status_code == 200 and "100" in page.text


def test_different_sheets_for_one_attempt_at_once_record_the_first_only(
    app, client, auth, make_user, completions
):
    """Half the requests carry right answers, half wrong ones: whichever is recorded,
    progress and certificates agree with it, and every request shows that result."""
    trainee = make_user()
    attempt = ready_for_quiz(trainee.id, "basics")
    right = answers_for("basics", attempt.question_ids, right=True)
    wrong = answers_for("basics", attempt.question_ids, right=False)
    cookie = session_cookie(client, auth, trainee)

    forms = [right if index % 2 else wrong for index in range(THREADS)]
    url = f"/quiz/attempts/{attempt.id}"
    results = post_all_at_once(app, cookie, [(url, form) for form in forms])

    assert results == [(302, url)] * THREADS
    db.session.expire_all()
    recorded = db.session.get(QuizAttempt, attempt.id)
    assert recorded.submitted
    assert recorded.answers in (
        {k.removeprefix("answer-"): v for k, v in f.items()} for f in (right, wrong)
    )
    certificates = db.session.scalar(
        select(func.count()).select_from(Certificate).filter_by(user_id=trainee.id)
    )
    if recorded.passed:
        assert completions == [(trainee.id, "basics", "1.0")] and certificates == 1
    else:
        assert completions == [] and certificates == 0
    page = client.get(f"/quiz/attempts/{attempt.id}").text
    assert re.search(rf"\b{recorded.score}\s*%", page) or str(recorded.score) in page
