"""quiz.md's review and pacing settings: ``review``, ``fails_before_wait`` and
``wait_hours``, their defaults, and errors with file and line."""

from __future__ import annotations

import pytest
from flask import Flask

from academy.core.config import DEFAULTS
from academy.core.content.cli import content_cli
from academy.core.content.quiz import parse_quiz

QUESTION = "\n## Q {#q}\n- (x) a\n- ( ) b\n"


def parse(front: str):
    return parse_quiz("c/trauma/quiz.md", f"---\npass_mark: 80\n{front}---\n{QUESTION}")


def test_the_defaults_keep_the_key_until_passed_and_wait_a_day_after_three_failures():
    quiz, problems = parse("")

    assert problems == []
    assert (quiz.review, quiz.fails_before_wait, quiz.wait_hours) == ("after-pass", 3, 24)


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("review: always\n", ("always", 3, 24)),
        ("review: never\nfails_before_wait: 1\nwait_hours: 720\n", ("never", 1, 720)),
        ("review:\nwait_hours: 0\n", ("after-pass", 3, 0)),  # 0 hours: no pacing
        ("fails_before_wait: 20\n", ("after-pass", 20, 24)),
    ],
)
def test_each_setting_is_read(front, expected):
    quiz, problems = parse(front)

    assert problems == []
    assert (quiz.review, quiz.fails_before_wait, quiz.wait_hours) == expected


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("review: after-passing\n", "3: 'review' must be one of: after-pass, always, never"),
        ("review: [always]\n", "3: 'review' must be one of: after-pass, always, never"),
        ("review: true\n", "3: 'review' must be one of: after-pass, always, never"),
        ("fails_before_wait: 0\n", "3: 'fails_before_wait' must be a whole number from 1 to 20"),
        ("fails_before_wait: 21\n", "3: 'fails_before_wait' must be a whole number from 1 to 20"),
        (
            "fails_before_wait: three\n",
            "3: 'fails_before_wait' must be a whole number from 1 to 20",
        ),
        ("wait_hours: -1\n", "3: 'wait_hours' must be a whole number from 0 to 720"),
        ("wait_hours: 1.5\n", "3: 'wait_hours' must be a whole number from 0 to 720"),
        ("wait_hours: yes\n", "3: 'wait_hours' must be a whole number from 0 to 720"),
        ("draw: 1\nwait_hours: 999\n", "4: 'wait_hours' must be a whole number from 0 to 720"),
        ("wait_hour: 24\n", "3: unknown key 'wait_hour'"),
    ],
)
def test_a_wrong_setting_is_an_error_at_its_line(front, expected):
    quiz, problems = parse(front)

    assert quiz is None
    assert [str(problem) for problem in problems] == [f"c/trauma/quiz.md:{expected}"]


def test_content_check_reports_them_with_path_and_line(tmp_path, write_module, content_dir):
    from content_builders import QUIZ_MD

    quiz = QUIZ_MD.replace("---\n", "---\nreview: sometimes\nwait_hours: 1000\n", 1)
    write_module(files={"quiz.md": quiz})
    app = Flask(__name__)
    app.config["ACADEMY_CONTENT_DIR"] = str(content_dir)
    app.config["ACADEMY_CONTENT_MAX_BYTES"] = DEFAULTS["ACADEMY_CONTENT_MAX_BYTES"]
    app.cli.add_command(content_cli)

    result = app.test_cli_runner().invoke(args=["content", "check"])

    assert result.exit_code == 1
    assert f"{content_dir}/trauma/quiz.md:2: 'review' must be one of" in result.output
    assert f"{content_dir}/trauma/quiz.md:3: 'wait_hours' must be a whole number" in result.output
