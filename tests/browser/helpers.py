"""Shared steps for browser tests: launching Chromium, fresh trainees, signing in,
studying and answering quizzes (tests/deployed/ uses them too)."""

from __future__ import annotations

import itertools
import re
import shutil

from academy.core.catalogue import current_catalogue
from academy.core.extensions import db
from academy.modules.accounts import services as accounts
from academy.modules.accounts.models import Role
from academy.modules.quizzes.models import QuizAttempt
from tests import wrong_answer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "browser-test-password"

_counter = itertools.count(1)


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def sign_in(page, username: str, password: str = PASSWORD, landing: str = "**/modules") -> None:
    page.goto("/sign-in")
    page.get_by_label("Sign-in name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(landing)


def study_every_lesson(
    page,
    module_slug: str,
    start: str = r"^(Start|Continue):",
    studied: str = "I have studied this lesson",
) -> None:
    """From the module's page, every lesson marked studied; ``start`` and ``studied`` are
    the link's and the button's words in the page's language."""
    page.goto(f"/modules/{module_slug}")
    page.get_by_role("link", name=re.compile(start)).click()
    while True:
        page.get_by_role("button", name=re.compile(studied)).click()
        if "#quiz" in page.url or page.url.endswith(f"/modules/{module_slug}"):
            break


def set_language(app, username: str, language: str) -> None:
    """The account's own language, as the switcher sets it for a signed-in person."""
    with app.app_context():
        accounts.find_user(username).language = language
        db.session.commit()


def new_user(app, role: Role = Role.TRAINEE, password: str = PASSWORD) -> str:
    name = f"{role.value}-browser-{next(_counter)}"
    with app.app_context():
        accounts.create_user(name, password, role, display_name=f"Peer {name[-2:]}")
        db.session.commit()
    return name


def quiz_answers(app, module_slug: str, question_ids: list[str], right: bool) -> dict:
    """Option ids to choose for each question: a right answer, or a wrong one; for steps
    to order, the step of each place in turn."""
    with app.app_context():
        quiz = current_catalogue().modules[module_slug].quiz
        answers = {}
        for qid in question_ids:
            question = quiz.question(qid)
            answers[qid] = question.type.right_answer(question) if right else wrong_answer(question)
        return answers


def ask_every_type(app, page, module_slug: str) -> list[str]:
    """Open the module's quiz and make sure its attempt asks a question of every type
    the quiz has (the draw may have left one out); the attempt's question ids."""
    page.goto(f"/modules/{module_slug}/quiz")
    attempt_id = int(re.search(r"/quiz/attempts/(\d+)", page.content()).group(1))
    with app.app_context():
        quiz = current_catalogue().modules[module_slug].quiz
        attempt = db.session.get(QuizAttempt, attempt_id)
        asked = [quiz.question(qid) for qid in attempt.question_ids]
        for question in quiz.questions:
            kinds = [q.kind for q in asked]
            if question.kind not in kinds:  # in place of a question of a type asked twice
                asked.remove(next(q for q in asked if kinds.count(q.kind) > 1))
                asked.append(question)
        attempt.question_ids = [q.id for q in quiz.questions if q in asked]
        db.session.commit()
        question_ids = list(attempt.question_ids)
    page.reload()
    return question_ids


def drawn_question_ids(page) -> list[str]:
    names = page.eval_on_selector_all("form.quiz [name^='answer-']", "els => els.map(e => e.name)")
    return list(dict.fromkeys(name.removeprefix("answer-") for name in names))


def answer_quiz_with_mouse(page, answers: dict, send: str = "Send my answers") -> None:
    for qid, option_ids in answers.items():
        places = page.locator(f"select[name='answer-{qid}']")
        if places.count():  # steps to order: one select per place
            for place, option_id in enumerate(option_ids):
                places.nth(place).select_option(option_id)
            continue
        for option_id in option_ids:
            page.check(f"input[name='answer-{qid}'][value='{option_id}']")
    page.get_by_role("button", name=send).click()
