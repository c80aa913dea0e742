from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError

from academy.core import renewals
from academy.core.catalogue import get_module
from academy.core.content_language import reader_language
from academy.core.extensions import csrf, db
from academy.core.quiz_waits import QuizWait
from academy.core.sessions import keeps_what_was_sent_signed_out
from academy.modules.courses import services as courses
from academy.modules.quizzes import kept_answers, pacing, services
from academy.modules.quizzes.forms import QuizForm

bp = Blueprint("quizzes", __name__)

ANSWER_PREFIX = "answer-"
STALE_PAGE_MESSAGE = lazy_gettext(
    "Your answers were not sent yet: the page had been open for a long time. They are "
    "filled in below. Check them and send the quiz again."
)
KEPT_MESSAGE = lazy_gettext(
    "You were signed out, but your quiz answers are kept. Sign in again and you will find "
    "them filled in, ready to send."
)


def _submitted_answers() -> dict[str, list[str]]:
    """Answers as sent; any other field (role, score, user id, ...) is ignored."""
    return {
        key.removeprefix(ANSWER_PREFIX): request.form.getlist(key)
        for key in request.form
        if key.startswith(ANSWER_PREFIX)
    }


def _render_sheet(module, attempt, selected=None, error=None, status=200, kept=False):
    # The texts in the reader's language; the ids, and so the answers, are the same in all.
    module = module.in_language(reader_language())
    questions = [module.quiz.question(qid) for qid in attempt.question_ids]
    return (
        render_template(
            "quizzes/take.html",
            module=module,
            attempt=attempt,
            questions=questions,
            shown_options=services.options_shown(attempt.id, questions),
            selected=selected or {},
            error=error,
            kept=kept,
            form=QuizForm(),
            prefix=ANSWER_PREFIX,
            token_field=kept_answers.SIGNED_ATTEMPT_FIELD,
            token=kept_answers.attempt_token(attempt),
        ),
        status,
    )


def _render_wait(module, wait: QuizWait, kept: bool = False, status: int = 200):
    """The quiz page during a wait: when the quiz opens, what to reread meanwhile."""
    module = module.in_language(reader_language())
    return render_template("quizzes/wait.html", module=module, wait=wait, kept=kept), status


@bp.get("/modules/<slug>/quiz")
@login_required
def take(slug: str):
    entry = courses.module_entry(current_user, slug)
    if entry.locked:
        flash(
            gettext("This module opens when you have completed the modules it builds on."),
            "info",
        )
        return redirect(url_for("courses.module", slug=slug))
    if entry.warning_pending:  # the content warning comes first, the choice is the trainee's
        return redirect(url_for("courses.content_warning", slug=slug, then=courses.QUIZ_STEP))
    try:
        attempt = services.open_attempt(current_user.id, entry.module)
    except services.QuizWaiting as waiting:
        return _render_wait(entry.module, waiting.wait)
    db.session.commit()
    # answers kept from a sheet sent after the session had ended (see kept_answers)
    return _render_sheet(entry.module, attempt, attempt.answers, kept=bool(attempt.answers))


# Signing out in another tab of the same browser clears the session and its CSRF token,
# so the global check would throw the sheet away. A signed-in sender is checked here
# instead; a signed-out one can only store answers with the attempt's own signed token,
# which another site never sees (kept_answers.py): it stands in for the CSRF token.
@bp.post("/quiz/attempts/<id:attempt_id>")
@csrf.exempt
@keeps_what_was_sent_signed_out
def submit(attempt_id: int):
    answers = _submitted_answers()
    if not current_user.is_authenticated:  # timed out, or signed out in another tab or device
        return _keep_until_signed_in(attempt_id, answers)
    attempt = services.get_own_attempt(current_user.id, attempt_id)
    module = get_module(attempt.module_slug)
    if current_app.config["WTF_CSRF_ENABLED"] and not _sent_with_valid_token():
        return _refused_sheet(module, attempt, answers)
    waiting = None
    try:
        attempt = services.submit_attempt(current_user.id, attempt_id, answers)
    except services.QuizChanged as error:
        flash(str(error), "info")
        return redirect(url_for("quizzes.take", slug=module.slug))
    except services.QuizWaiting as error:
        waiting = error  # opened during a wait: not graded, the answers are kept (committed)
    except services.QuizError as error:
        db.session.rollback()
        return _render_sheet(module, attempt, answers, str(error), 400)
    db.session.commit()
    if waiting is not None:
        return _render_wait(module, waiting.wait, kept=True, status=400)
    return redirect(url_for("quizzes.result", attempt_id=attempt.id))


def _sent_with_valid_token() -> bool:
    """The check the global CSRF protection would have made."""
    try:
        csrf.protect()
    except CSRFError:
        return False
    return True


def _refused_sheet(module, attempt, answers: dict[str, list[str]]):
    """A sheet whose CSRF token had expired (a page open for hours, answered offline):
    nothing is graded, and the answers come back filled in, with a fresh token, to send
    again. Only for a page of this site (``Sec-Fetch-Site``): another site's form gets
    the plain refusal, never a sheet with its answers in it."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") != "same-origin":
        csrf.protect()  # raises the CSRFError again: the usual 400 page
    if attempt.submitted:
        return redirect(url_for("quizzes.result", attempt_id=attempt.id))
    return _render_sheet(module, attempt, answers, STALE_PAGE_MESSAGE, 400)


def _keep_until_signed_in(attempt_id: int, answers: dict[str, list[str]]):
    """Store the answers on the open attempt and send the trainee to sign in, then
    back to the quiz, where they are filled in."""
    token = request.form.get(kept_answers.SIGNED_ATTEMPT_FIELD, "")
    attempt = kept_answers.keep_signed_out_answers(attempt_id, token, answers)
    if attempt is None:  # not the token of this open attempt: nothing is stored
        return current_app.login_manager.unauthorized()
    db.session.commit()
    flash(str(KEPT_MESSAGE), "info")
    quiz_page = url_for("quizzes.take", slug=attempt.module_slug)
    return redirect(url_for("accounts.sign_in", next=quiz_page))


@bp.get("/quiz/attempts/<id:attempt_id>")
@login_required
def result(attempt_id: int):
    attempt = services.get_own_attempt(current_user.id, attempt_id)
    # Graded again from the stored option ids: the same in every language.
    module = get_module(attempt.module_slug).in_language(reader_language())
    if not attempt.submitted:
        return redirect(url_for("quizzes.take", slug=module.slug))
    quiz = module.quiz
    questions = [quiz.question(qid) for qid in attempt.question_ids if quiz.question(qid)]
    grade = services.grade_answers(quiz, [q.id for q in questions], attempt.answers or {})
    return render_template(
        "quizzes/result.html",
        module=module,
        attempt=attempt,
        questions=questions,
        shown_options=services.options_shown(attempt.id, questions),
        grade=grade,
        show_key=services.key_shown(current_user.id, module, attempt),
        wait=None if attempt.passed else pacing.wait_for(current_user.id, module),
        certificate=renewals.module_certificates(current_user.id).get(module.slug)
        if attempt.passed
        else None,
    )
