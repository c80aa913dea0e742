"""A quiz read in German is the same quiz: the same questions, option ids and right
answers, so grading, attempts, item analysis and certificates do not depend on the
language it was taken in (academy/core/content/quiz_translations.py)."""

from __future__ import annotations

import re

import pytest

from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.certificates.services import certificates_for
from academy.modules.quizzes.models import QuizAttempt
from academy.modules.trainer import item_reports
from tests import as_form
from tests.modules.courses.translated_content import ENGLISH, GERMAN, german_content

# The same choices, whatever the language: option ids in the order written.
CHOICES = {"q-sky": ["1"], "q-fruit": ["1"], "q-cat": ["2"]}  # q-fruit lacks the pear


@pytest.fixture
def app_config(app_config, tmp_path):
    return app_config | {"ACADEMY_CONTENT_DIR": str(german_content(tmp_path))}


def take_quiz(client, headers: dict[str, str], choices: dict[str, list[str]]):
    """The quiz page, then the result page, in the language of ``headers``."""
    sheet = client.get("/modules/basics/quiz", headers=headers).text
    action = re.search(r'action="(/quiz/attempts/\d+)"', sheet).group(1)
    result = client.post(action, data=as_form(choices), headers=headers, follow_redirects=True)
    return sheet, result.text


def attempt_of(user) -> QuizAttempt:
    return db.session.scalars(db.select(QuizAttempt).filter_by(user_id=user.id)).one()


def test_the_quiz_sheet_is_in_german_with_the_source_s_option_ids(client, auth, trainee):
    auth.sign_in(trainee)

    sheet = client.get("/modules/basics/quiz", headers=GERMAN).text

    assert 'data-offline-kind="quiz">' in sheet  # the form, in the page's language
    assert "Welche Farbe hat der Himmel an einem klaren Tag?" in sheet
    assert "What colour" not in sheet
    assert re.findall(r'name="answer-q-cat" value="(\d)"', sheet) != []
    # The quiz translation is reviewed: no note.
    assert "not yet checked" not in sheet


def test_the_same_choices_grade_the_same_in_german_and_english(client, auth, make_user):
    german, english = make_user(Role.TRAINEE), make_user(Role.TRAINEE)
    auth.sign_in(german)
    _, german_result = take_quiz(client, GERMAN, CHOICES)
    auth.sign_out()
    auth.sign_in(english)
    _, english_result = take_quiz(client, ENGLISH, CHOICES)

    in_german, in_english = attempt_of(german), attempt_of(english)
    assert in_german.answers == in_english.answers == CHOICES
    assert (
        in_german.correct == in_english.correct == {"q-sky": True, "q-fruit": False, "q-cat": True}
    )
    assert in_german.score == in_english.score == 67
    assert in_german.passed is in_english.passed is True
    assert "Ihr Ergebnis: 67\u00a0%" in german_result
    assert "Your result: 67 %" in english_result
    assert "Der Himmel sieht wegen der Streuung blau aus." in german_result
    assert "The sky looks blue because of scattering." in english_result


def test_a_reader_without_a_translation_gets_the_english_quiz_marked_as_such(client, auth, trainee):
    auth.sign_in(trainee)

    sheet = client.get("/modules/basics/quiz", headers={"Accept-Language": "ar"}).text

    assert 'data-offline-kind="quiz" lang="en" dir="ltr">' in sheet
    assert (
        "هذا الاختبار غير متوفر بعد باللغة العربية؛ أنت تقرأ النص الأصلي باللغة الإنجليزية."
        in sheet
    )


def test_a_result_page_follows_the_reader_s_language_not_the_attempt_s(client, auth, trainee):
    auth.sign_in(trainee)
    _, in_german = take_quiz(client, GERMAN, CHOICES)
    action = f"/quiz/attempts/{attempt_of(trainee).id}"

    in_english = client.get(action, headers=ENGLISH).text

    assert 'class="review">' in in_german
    assert "Was ist Obst?" in in_german
    assert "Which are fruits?" in in_english
    # The lesson to reread for the wrong answer, in each language (not translated: English).
    assert '<span lang="en" dir="ltr">Next steps</span></a>' in in_german


def test_item_analysis_counts_attempts_in_every_language(client, auth, make_user):
    trainees = [make_user(Role.TRAINEE) for _ in range(6)]
    for number, trainee in enumerate(trainees):
        auth.sign_in(trainee)
        take_quiz(client, GERMAN if number % 2 else ENGLISH, CHOICES)
        auth.sign_out()

    report = item_reports.version_report("basics", "1.0")

    assert report.figures.attempts == 6
    sky = report.figures.items["q-sky"]
    assert (sky.attempts, sky.right, dict(sky.option_counts)) == (6, 6, {"1": 6, "2": 0})
    fruit = report.figures.items["q-fruit"]
    assert (fruit.attempts, fruit.right) == (6, 0)


def test_a_module_studied_and_passed_in_german_earns_the_certificate(client, auth, trainee):
    auth.sign_in(trainee)
    for lesson in ("first-steps", "next-steps"):
        client.post(f"/modules/basics/lessons/{lesson}/studied", headers=GERMAN)

    take_quiz(client, GERMAN, CHOICES | {"q-fruit": ["1", "3"]})

    assert attempt_of(trainee).score == 100
    # Recorded in the source's words: a certificate keeps one language.
    assert [(c.subject_slug, c.subject_title) for c in certificates_for(trainee.id)] == [
        ("basics", "Basics")
    ]
