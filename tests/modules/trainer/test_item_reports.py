"""Item analysis reports from the database and the catalogue (trainer/item_reports.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import event, update
from werkzeug.exceptions import NotFound

from academy.core.catalogue import current_catalogue
from academy.core.extensions import db
from academy.modules.quizzes import services as quizzes
from academy.modules.quizzes.models import QuizAttempt
from academy.modules.trainer import item_reports
from tests.modules.trainer.helpers import (
    ALL_RIGHT,
    SIX_SHEETS,
    record_attempts,
    submit,
    trainees_submit,
)

SIX_SHEETS_CSV = """\
module,version,number,question,question_text,option,option_text,right_option,attempts,facility_percent,discrimination,chosen,chosen_percent,flags,note
basics,1.0,1,q-sky,What colour is the sky on a clear day?,,,,6,66.7,0.343,,,,
basics,1.0,1,q-sky,What colour is the sky on a clear day?,1,Blue,yes,,,,4,66.7,,
basics,1.0,1,q-sky,What colour is the sky on a clear day?,2,Green,no,,,,2,33.3,,
basics,1.0,2,q-fruit,Which are fruits?,,,,6,50.0,0.000,,,,
basics,1.0,2,q-fruit,Which are fruits?,1,Apple,yes,,,,5,83.3,,
basics,1.0,2,q-fruit,Which are fruits?,2,Carrot,no,,,,1,16.7,,
basics,1.0,2,q-fruit,Which are fruits?,3,Pear,yes,,,,4,66.7,,
basics,1.0,3,q-cat,How many legs has a cat?,,,,6,33.3,0.343,,,,
basics,1.0,3,q-cat,How many legs has a cat?,1,Two,no,,,,3,50.0,,
basics,1.0,3,q-cat,How many legs has a cat?,2,Four,yes,,,,2,33.3,,
basics,1.0,3,q-cat,How many legs has a cat?,3,Six,no,,,,1,16.7,,
"""  # noqa: E501


def figures_of(report: item_reports.VersionReport) -> dict[str, tuple]:
    return {
        row.id: (row.figures.attempts, row.figures.right, row.figures.discrimination)
        for row in report.questions
    }


def test_each_trainees_first_attempt_counts_with_its_recorded_results(make_user):
    trainees = trainees_submit(make_user, SIX_SHEETS)
    submit(trainees[-1].id, ALL_RIGHT)  # a retake: left out
    quizzes.open_attempt(make_user().id, current_catalogue().modules["basics"])
    db.session.commit()  # opened, never submitted: left out

    report = item_reports.version_report("basics", "1.0")

    assert (report.module_title, report.content_loaded, report.left_out) == ("Basics", True, 0)
    assert report.figures.attempts == 6
    # worked out in test_item_analysis.py: 4, 3 and 2 of 6 right
    assert figures_of(report) == {
        "q-sky": (6, 4, 0.343),
        "q-fruit": (6, 3, 0.0),
        "q-cat": (6, 2, 0.343),
    }
    sky = report.questions[0]
    assert (sky.number, sky.text) == (1, "What colour is the sky on a clear day?")
    assert sky.options == (("1", "Blue", True), ("2", "Green", False))
    assert report.questions[1].figures.option_counts == {"1": 5, "2": 1, "3": 4}


def test_a_submission_records_which_questions_were_right(make_user, trainee):
    attempt = submit(trainee.id, SIX_SHEETS[2])
    db.session.expire_all()

    recorded = db.session.get(QuizAttempt, attempt.id).correct
    assert recorded == {"q-sky": True, "q-fruit": False, "q-cat": True}


def test_the_csv_has_a_row_per_question_and_one_per_option(make_user):
    trainees_submit(make_user, SIX_SHEETS)

    text = item_reports.report_csv(item_reports.version_report("basics", "1.0"))

    assert text == SIX_SHEETS_CSV.replace("\n", "\r\n")


def test_attempts_from_before_results_were_recorded_are_graded_with_the_loaded_quiz(make_user):
    trainees_submit(make_user, SIX_SHEETS)
    db.session.execute(update(QuizAttempt).values(correct=None))
    db.session.commit()

    report = item_reports.version_report("basics", "1.0")

    assert report.left_out == 0
    assert figures_of(report) == {
        "q-sky": (6, 4, 0.343),
        "q-fruit": (6, 3, 0.0),
        "q-cat": (6, 2, 0.343),
    }


# An older version, no longer loaded: q-old and q-sky, right (1) or wrong (0):
# 11, 10, 00, 11, 01. q-old: x = 1,1,0,1,0; y = 1,0,0,1,1; n=5 Σx=3 Σy=3 Σy²=3 Σxy=2:
# r = (10−9)/√((15−9)(15−9)) = 1/6 = 0.167; q-sky the same by symmetry. Both 60 % right.
OLD_VERSION = [
    (["q-old", "q-sky"], {"q-old": True, "q-sky": True}),
    (["q-old", "q-sky"], {"q-old": True, "q-sky": False}),
    (["q-old", "q-sky"], {"q-old": False, "q-sky": False}),
    (["q-old", "q-sky"], {"q-old": True, "q-sky": True}),
    (["q-old", "q-sky"], {"q-old": False, "q-sky": True}),
    (["q-old", "q-sky"], None),  # before results were recorded: cannot be graded now
]


def test_an_older_version_lists_its_questions_by_id_without_texts(make_user):
    record_attempts(make_user, "0.9", OLD_VERSION)

    report = item_reports.version_report("basics", "0.9")

    assert (report.content_loaded, report.figures.attempts, report.left_out) == (False, 5, 1)
    assert [(row.id, row.number, row.text, row.options) for row in report.questions] == [
        ("q-old", None, None, ()),
        ("q-sky", None, None, ()),
    ]
    assert figures_of(report) == {"q-old": (5, 3, 0.167), "q-sky": (5, 3, 0.167)}
    lines = item_reports.report_csv(report).splitlines()
    assert lines[1:] == [
        "basics,0.9,,q-old,,,,,5,60.0,0.167,,,,text not available",
        "basics,0.9,,q-sky,,,,,5,60.0,0.167,,,,text not available",
    ]


def test_a_question_no_longer_in_the_quiz_is_listed_by_id_after_the_others(make_user):
    rows = [(["q-sky", "q-gone"], {"q-sky": True, "q-gone": n % 2 == 0}) for n in range(5)]
    record_attempts(make_user, "1.0", rows + [(["q-gone"], None)])

    report = item_reports.version_report("basics", "1.0")

    assert [(row.id, row.number) for row in report.questions] == [
        ("q-sky", 1),
        ("q-fruit", 2),
        ("q-cat", 3),
        ("q-gone", None),
    ]
    assert report.left_out == 1  # no recorded results, and q-gone cannot be graded
    gone = report.questions[-1]
    assert (gone.text, gone.figures.attempts, gone.figures.right) == (None, 5, 3)
    lines = item_reports.report_csv(report).splitlines()
    # q-sky: everybody right (too easy, r not defined); the others: not drawn at all
    assert lines[1] == (
        "basics,1.0,1,q-sky,What colour is the sky on a clear day?,,,,5,100.0,,,,"
        "too easy (over 90 % right); a distractor nobody picks (option 2),"
        "not defined: every attempt got it right"
    )
    assert lines[4] == "basics,1.0,2,q-fruit,Which are fruits?,,,,0,,,,,,too few attempts"
    assert lines[-1] == (
        "basics,1.0,,q-gone,,,,,5,60.0,,,,,"
        "no longer in the quiz; not defined: every attempt had the same rest-score"
    )


def test_a_question_with_fewer_than_five_attempts_has_no_figures_in_the_csv(make_user):
    trainees_submit(make_user, SIX_SHEETS[:4])

    report = item_reports.version_report("basics", "1.0")
    lines = item_reports.report_csv(report).splitlines()

    assert report.figures.too_few
    assert lines[1:] == [
        "basics,1.0,1,q-sky,What colour is the sky on a clear day?,,,,4,,,,,,too few attempts",
        "basics,1.0,2,q-fruit,Which are fruits?,,,,4,,,,,,too few attempts",
        "basics,1.0,3,q-cat,How many legs has a cat?,,,,4,,,,,,too few attempts",
    ]


def test_an_unknown_module_or_version_is_not_found(make_user):
    trainees_submit(make_user, SIX_SHEETS[:1])

    for slug, version in [
        ("basics", "2.0"),
        ("nowhere", "1.0"),
        ("advanced", "1.0"),  # a module nobody has attempted
        ("x" * 101, "1.0"),
        ("basics", "1" * 41),
    ]:
        with pytest.raises(NotFound):
            item_reports.version_report(slug, version)


def test_the_index_lists_the_versions_with_submitted_attempts_by_module(make_user):
    trainees = trainees_submit(make_user, SIX_SHEETS[:2])
    submit(trainees[0].id, ALL_RIGHT)
    record_attempts(make_user, "0.9", OLD_VERSION[:1])
    record_attempts(make_user, "0.9", OLD_VERSION[:1])
    db.session.add(
        QuizAttempt(
            user_id=trainees[0].id,
            module_slug="retired",
            module_version="3",
            question_ids=["q"],
            answers={},
            score=0,
            passed=False,
            submitted_at=trainees[0].created_at,
        )
    )
    db.session.commit()
    quizzes.open_attempt(trainees[1].id, current_catalogue().modules["basics"])
    db.session.commit()  # opened, never submitted: not counted

    modules = item_reports.versions_with_attempts()

    assert [(m.slug, m.title, m.loaded_version) for m in modules] == [
        ("basics", "Basics", "1.0"),
        ("retired", "retired", None),
    ]
    counts = {(v.module_version, v.trainees, v.attempts) for v in modules[0].versions}
    assert counts == {("1.0", 2, 3), ("0.9", 2, 2)}


def test_a_report_reads_the_attempts_with_one_statement(make_user):
    trainees_submit(make_user, SIX_SHEETS)
    statements = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        item_reports.version_report("basics", "1.0")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)

    assert len(statements) == 1
    assert "quiz_attempts" in statements[0] and "users" not in statements[0]
