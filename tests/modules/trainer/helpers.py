"""Builders shared by the item analysis tests (imported by name)."""

from __future__ import annotations

from academy.core.catalogue import current_catalogue
from academy.core.clock import utcnow
from academy.core.extensions import db
from academy.modules.accounts.models import Role, User
from academy.modules.quizzes import services as quizzes
from academy.modules.quizzes.models import QuizAttempt

# The basics quiz of the fixture content: q-sky (single: 1 right, 2), q-fruit (multiple:
# 1 and 3 right, 2), q-cat (single: 1, 2 right, 3). Six trainees' first answer sheets,
# right (1) or wrong (0) on (q-sky, q-fruit, q-cat): 111, 110, 101, 010, 100, 000 — the
# first pattern of test_item_analysis.py, whose figures are worked out there:
# facility 66.7 / 50.0 / 33.3 %, discrimination 0.343 / 0.000 / 0.343.
SIX_SHEETS = [
    {"q-sky": ["1"], "q-fruit": ["1", "3"], "q-cat": ["2"]},
    {"q-sky": ["1"], "q-fruit": ["1", "3"], "q-cat": ["1"]},
    {"q-sky": ["1"], "q-fruit": ["1"], "q-cat": ["2"]},
    {"q-sky": ["2"], "q-fruit": ["1", "3"], "q-cat": ["3"]},
    {"q-sky": ["1"], "q-fruit": ["1", "2"], "q-cat": ["1"]},
    {"q-sky": ["2"], "q-fruit": ["3"], "q-cat": ["1"]},
]
ALL_RIGHT = {"q-sky": ["1"], "q-fruit": ["1", "3"], "q-cat": ["2"]}
TRAINEE_NAME = "Named Trainee"  # + a number: no item analysis page may show it


def submit(user_id: int, answers: dict[str, list[str]], module_slug: str = "basics"):
    """One attempt at the loaded quiz, through the services."""
    module = current_catalogue().modules[module_slug]
    attempt = quizzes.open_attempt(user_id, module)
    attempt = quizzes.submit_attempt(user_id, attempt.id, answers)
    db.session.commit()
    return attempt


def trainees_submit(make_user, sheets: list[dict[str, list[str]]]) -> list[User]:
    """A new trainee for each answer sheet, who submits it."""
    trainees = []
    for sheet in sheets:
        trainee = make_user(Role.TRAINEE, display_name=f"{TRAINEE_NAME} {len(trainees) + 1}")
        submit(trainee.id, sheet)
        trainees.append(trainee)
    return trainees


def record_attempts(make_user, version: str, rows: list[tuple[list[str], dict | None]]) -> None:
    """Submitted attempts at a basics version that is not loaded, one trainee each:
    (question ids, right or wrong per question or None as before it was recorded)."""
    for question_ids, correct in rows:
        trainee = make_user(Role.TRAINEE)
        db.session.add(
            QuizAttempt(
                user_id=trainee.id,
                module_slug="basics",
                module_version=version,
                question_ids=question_ids,
                answers={qid: ["1"] for qid in question_ids},
                correct=correct,
                score=0,
                passed=False,
                submitted_at=utcnow(),
            )
        )
    db.session.commit()
