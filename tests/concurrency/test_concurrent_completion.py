"""The last step of a certificate path, taken many times at the same moment.

``progress.complete_module_if_done`` completes a module with a conditional UPDATE, so
only one request sends ``module_completed``; the unique constraint on certificates
makes "one certificate per holder, subject and version" a fact of the database.
"""

from __future__ import annotations

from sqlalchemy import func, select

from academy.core.catalogue import current_catalogue
from academy.core.clock import utcnow
from academy.core.extensions import db
from academy.modules.certificates.models import Certificate
from academy.modules.progress import services as progress
from academy.modules.progress.models import LessonProgress, ModuleProgress
from academy.modules.quizzes import services as quizzes
from academy.modules.quizzes.models import QuizAttempt

from .conftest import THREADS, answers_for, post_all_at_once, session_cookie

# tests/fixtures/content: "fixture-path" is basics + advanced; advanced has one lesson.
PATH = "fixture-path"


def complete(user_id: int, module_slug: str) -> None:
    module = current_catalogue().modules[module_slug]
    for lesson in module.lessons:
        progress.mark_lesson_studied(user_id, module, lesson)
    attempt = quizzes.open_attempt(user_id, module)
    quizzes.submit_attempt(
        user_id, attempt.id, answers_by_id(answers_for(module_slug, attempt.question_ids, True))
    )
    db.session.commit()


def answers_by_id(form: dict[str, list[str]]) -> dict[str, list[str]]:
    return {key.removeprefix("answer-"): value for key, value in form.items()}


def accept_content_warning(user_id: int, module_slug: str) -> None:
    """The trainee already chose to continue past the module's content warning."""
    row = db.session.scalar(
        select(ModuleProgress).filter_by(user_id=user_id, module_slug=module_slug)
    )
    if row is None:
        row = ModuleProgress(user_id=user_id, module_slug=module_slug)
        db.session.add(row)
    row.warning_accepted_at = utcnow()
    db.session.commit()


def certificate_counts(user_id: int) -> dict[tuple[str, str], int]:
    rows = db.session.execute(
        select(Certificate.kind, Certificate.subject_slug, func.count())
        .filter_by(user_id=user_id)
        .group_by(Certificate.kind, Certificate.subject_slug)
    )
    return {(kind, slug): count for kind, slug, count in rows}


def test_the_last_lesson_of_a_path_marked_twenty_times_at_once(
    app, client, auth, make_user, completions
):
    trainee = make_user()
    complete(trainee.id, "basics")
    advanced = current_catalogue().modules["advanced"]
    accept_content_warning(trainee.id, "advanced")
    attempt = quizzes.open_attempt(trainee.id, advanced)  # the quiz passed first ...
    quizzes.submit_attempt(
        trainee.id,
        attempt.id,
        answers_by_id(answers_for("advanced", attempt.question_ids, True)),
    )
    db.session.commit()
    assert completions == [(trainee.id, "basics", "1.0")]
    cookie = session_cookie(client, auth, trainee)

    (lesson,) = advanced.lessons  # ... the one lesson is the last step
    url = f"/modules/advanced/lessons/{lesson.slug}/studied"
    results = post_all_at_once(app, cookie, [(url, {})] * THREADS)

    assert all(status == 302 for status, _ in results), results
    db.session.expire_all()
    assert completions == [(trainee.id, "basics", "1.0"), (trainee.id, "advanced", "2.1")]
    assert certificate_counts(trainee.id) == {
        ("module", "basics"): 1,
        ("module", "advanced"): 1,
        ("path", PATH): 1,
    }
    studied = db.session.scalar(
        select(func.count())
        .select_from(LessonProgress)
        .filter_by(user_id=trainee.id, module_slug="advanced")
    )
    assert studied == 1
    row = db.session.scalar(
        select(ModuleProgress).filter_by(user_id=trainee.id, module_slug="advanced")
    )
    assert row.completed_version == "2.1" and row.quiz_passed_version == "2.1"


def test_the_last_quiz_of_a_path_passed_from_twenty_tabs_at_once(app, client, auth, make_user):
    """Twenty tabs share the one open attempt (a unique index allows no second one) and
    all send a passing sheet at the same moment: the module and the path are certified
    once, and the attempt is recorded once."""
    trainee = make_user()
    complete(trainee.id, "basics")
    advanced = current_catalogue().modules["advanced"]
    accept_content_warning(trainee.id, "advanced")
    for lesson in advanced.lessons:
        progress.mark_lesson_studied(trainee.id, advanced, lesson)
    attempt = quizzes.open_attempt(trainee.id, advanced)
    db.session.commit()
    cookie = session_cookie(client, auth, trainee)
    url = f"/quiz/attempts/{attempt.id}"
    form = answers_for("advanced", attempt.question_ids, right=True)

    results = post_all_at_once(app, cookie, [(url, form)] * THREADS)

    assert results == [(302, url)] * THREADS
    db.session.expire_all()
    assert certificate_counts(trainee.id) == {
        ("module", "basics"): 1,
        ("module", "advanced"): 1,
        ("path", PATH): 1,
    }
    recorded = db.session.scalars(
        select(QuizAttempt).filter_by(user_id=trainee.id, module_slug="advanced")
    ).all()
    assert len(recorded) == 1 and recorded[0].submitted and recorded[0].passed
