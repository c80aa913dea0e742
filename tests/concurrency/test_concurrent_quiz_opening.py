"""Opening one quiz twenty times at the same moment (a double tap, two tabs, a flaky
connection resending): one open attempt, and every page shows its questions.

Before the partial unique index on open attempts, 20 simultaneous opens on PostgreSQL
made 7 attempts; the trainee then answered one and found another on the next visit.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from academy.core.extensions import db
from academy.modules.quizzes.models import QuizAttempt

from .conftest import SESSION_COOKIE, THREADS, all_at_once, session_cookie


def test_twenty_simultaneous_opens_of_a_quiz_make_one_open_attempt(app, client, auth, make_user):
    trainee = make_user()
    cookie = session_cookie(client, auth, trainee)

    def open_quiz(_index: int) -> tuple[int, str]:
        browser = app.test_client()  # this thread's own context, session and connection
        browser.set_cookie(SESSION_COOKIE, cookie)
        response = browser.get("/modules/basics/quiz")
        return response.status_code, response.text

    db.session.remove()  # the test's own session must hold no connection or lock
    pages = all_at_once(THREADS, open_quiz)

    assert [status for status, _ in pages] == [200] * THREADS
    db.session.expire_all()
    attempts = db.session.scalars(select(QuizAttempt).filter_by(user_id=trainee.id)).all()
    assert len(attempts) == 1
    assert not attempts[0].submitted
    shown = {re.search(r'action="/quiz/attempts/(\d+)"', page).group(1) for _, page in pages}
    assert shown == {str(attempts[0].id)}
