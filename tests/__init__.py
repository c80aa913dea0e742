"""Helpers the test modules import by name (pytest loads conftest.py on its own)."""

from __future__ import annotations

from academy.core.catalogue import current_catalogue
from academy.core.content.model import Question
from academy.core.extensions import db
from academy.modules.progress import services as progress
from academy.modules.quizzes import services as quizzes


def wrong_answer(question: Question) -> list[str]:
    """An answer its type grades wrong: one wrong option, or, for a question without
    one (steps to order), the right order reversed."""
    wrong = [o.id for o in question.options if not o.correct][:1]
    return wrong or question.type.right_answer(question)[::-1]


def right_answers(module_slug: str, question_ids: list[str]) -> dict[str, list[str]]:
    quiz = current_catalogue().modules[module_slug].quiz
    return {qid: quiz.question(qid).type.right_answer(quiz.question(qid)) for qid in question_ids}


def wrong_answers(module_slug: str, question_ids: list[str]) -> dict[str, list[str]]:
    quiz = current_catalogue().modules[module_slug].quiz
    return {qid: wrong_answer(quiz.question(qid)) for qid in question_ids}


def as_form(answers: dict[str, list[str]], **extra: str) -> dict[str, list[str] | str]:
    """Answers as the quiz page posts them: one ``answer-<question id>`` field each."""
    return {f"answer-{qid}": ids for qid, ids in answers.items()} | extra


def study_all_lessons(user_id: int, module_slug: str) -> None:
    module = current_catalogue().modules[module_slug]
    for lesson in module.lessons:
        progress.mark_lesson_studied(user_id, module, lesson)
    db.session.commit()


def pass_quiz(user_id: int, module_slug: str):
    module = current_catalogue().modules[module_slug]
    attempt = quizzes.open_attempt(user_id, module)
    attempt = quizzes.submit_attempt(
        user_id, attempt.id, right_answers(module_slug, attempt.question_ids)
    )
    db.session.commit()
    return attempt


def accept_content_warning(user_id: int, module_slug: str) -> None:
    """The trainee read the module's content warning and chose to continue."""
    progress.accept_content_warning(user_id, current_catalogue().modules[module_slug])
    db.session.commit()


def complete_module(user_id: int, module_slug: str) -> None:
    """Study every lesson and pass the quiz, through the services."""
    study_all_lessons(user_id, module_slug)
    pass_quiz(user_id, module_slug)
