"""The quiz submissions' pool: open attempts made beforehand for trainees of the data set,
each with a signed-in cookie and a complete answer sheet to send."""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from urllib.parse import urlencode

import generate
import generate_plan
import generate_settings
from endpoints import line
from run_settings import POOL_ACCOUNT, SUBMISSION_POOL_RATE
from sign_in import Session


def submission_pool(session: Session, seconds: float) -> list[str]:
    """Open one quiz attempt for each of enough trainees (as the quiz page would: drawn
    questions, not submitted) and return one complete answer sheet per attempt.

    A trainee has at most one open attempt per quiz (a unique index), so every sheet
    belongs to another trainee of the data set; each gets a signed-in session cookie made
    with the app's own session machinery (a sign-in per trainee would take minutes of
    argon2). 70 % of the sheets are right: a pass records progress and may complete the
    module and issue its certificate; the others are recorded as failed attempts.
    """
    import sqlalchemy as sa

    from academy.core.catalogue import current_catalogue
    from academy.core.extensions import db
    from academy.modules.accounts.models import Role, User
    from academy.modules.quizzes import pacing
    from academy.modules.quizzes import services as quizzes
    from academy.modules.quizzes.models import QuizAttempt

    count = int(SUBMISSION_POOL_RATE * seconds) + 500
    app = generate.bench_app(session.database_url)
    rng = random.Random(time.time_ns())  # noqa: S311 - which sheets are right, not secrets
    for account in [name for name in session.cookies if name.startswith(POOL_ACCOUNT)]:
        del session.cookies[account]  # the last round's trainees
    with app.app_context():
        module = current_catalogue().modules[generate_settings.QUIZ_MODULE]
        open_attempt = sa.exists().where(
            QuizAttempt.user_id == User.id,
            QuizAttempt.module_slug == module.slug,
            QuizAttempt.module_version == module.version,
            QuizAttempt.submitted_at.is_(None),
        )
        trainees = db.session.scalars(
            sa.select(User)
            .where(User.role == Role.TRAINEE.value, User.username.like("trainee-%"), ~open_attempt)
            .order_by(sa.func.random())
            .limit(count)
        ).all()
        # one who must wait after failures in a row (pacing) could not have opened it
        trainees = [trainee for trainee in trainees if pacing.wait_for(trainee.id, module) is None]
        rows = [
            {
                "user_id": trainee.id,
                "module_slug": module.slug,
                "module_version": module.version,
                "question_ids": quizzes.draw_questions(module.quiz),
                "started_at": datetime.now(UTC).replace(tzinfo=None),
            }
            for trainee in trainees
        ]
        attempt_ids = list(
            db.session.execute(
                sa.insert(QuizAttempt.__table__).returning(QuizAttempt.__table__.c.id), rows
            ).scalars()
        )
        db.session.commit()
        db.engine.dispose()
    sheets = signed_in_cookies(app, trainees)  # each in an app context of its own
    lines = []
    for number, (trainee, row, attempt_id) in enumerate(
        zip(trainees, rows, attempt_ids, strict=True)
    ):
        account = f"{POOL_ACCOUNT}{trainee.id}"
        cookie, token = sheets[trainee.id]
        address = f"127.251.{number // 256 % 256}.{number % 256}"
        session.cookies[account] = (cookie, address)
        right = rng.random() < 0.7
        fields = [("csrf_token", token)]
        for qid in row["question_ids"]:
            question = module.quiz.question(qid)
            chosen = generate_plan.sheet_answer(question, right)
            fields += [(f"answer-{qid}", option) for option in chosen]
        lines.append((account, attempt_id, address, urlencode(fields)))
    index = {account: str(position) for position, account in enumerate(session.cookies)}
    return [
        line("POST", f"/quiz/attempts/{attempt_id}", index[account], address, body)
        for account, attempt_id, address, body in lines
    ]


def signed_in_cookies(app, trainees: list) -> dict[int, tuple[str, str]]:  # noqa: ANN001
    """Each trainee's session cookie and CSRF form token, as a sign-in and a first page
    with a form would leave them (the server shares the benchmark's SECRET_KEY)."""
    from flask import session as flask_session
    from flask_login import login_user
    from flask_wtf.csrf import generate_csrf

    serializer = app.session_interface.get_signing_serializer(app)
    made = {}
    for trainee in trainees:
        with app.test_request_context("/"):
            login_user(trainee)
            token = generate_csrf()
            made[trainee.id] = (serializer.dumps(dict(flask_session)), token)
    return made
