"""`academy content check`, `stats` and `translation-hash` on translated content."""

from __future__ import annotations

import pytest
from content_builders import LESSON_MD
from flask import Flask
from translation_builders import sha256, translate_all

from academy.core.config import DEFAULTS
from academy.core.content.cli import content_cli


@pytest.fixture
def runner(content_dir):
    app = Flask(__name__)
    app.config["ACADEMY_CONTENT_DIR"] = str(content_dir)
    app.config["ACADEMY_CONTENT_MAX_BYTES"] = DEFAULTS["ACADEMY_CONTENT_MAX_BYTES"]
    app.cli.add_command(content_cli)
    return app.test_cli_runner()


@pytest.fixture
def translated(write_module):
    """Two modules: one translated into German (one lesson reviewed), one not at all."""
    folder = write_module("trauma", {"02-calm.md": "# Calm\n\nBreathe out.\n"})
    translate_all(folder)
    lesson = folder / "01-what-trauma-is.de.md"
    lesson.write_text(lesson.read_text().replace("reviewed: false", "reviewed: true"))
    write_module("basics")
    return folder


def test_check_lists_translations_per_language(runner, translated):
    result = runner.invoke(args=["content", "check"])

    assert result.exit_code == 0
    assert result.output == (
        "translations into de: 3 of 4 files in 1 module, 0 stale, 2 not yet reviewed\n"
        "0 errors, 0 warnings\n"
    )


def test_a_stale_translation_is_a_warning_that_fail_on_stale_makes_fatal(runner, translated):
    (translated / "01-what-trauma-is.md").write_text(LESSON_MD + "\nMore.\n")
    stale = f"{translated}/01-what-trauma-is.de.md:2: warning: stale translation"

    plain = runner.invoke(args=["content", "check"])
    strict = runner.invoke(args=["content", "check", "--fail-on-stale"])

    assert plain.exit_code == 0
    assert strict.exit_code == 1
    for result in (plain, strict):
        assert result.output.startswith(stale)
        assert result.output.endswith(
            "translations into de: 3 of 4 files in 1 module, 1 stale, 2 not yet reviewed\n"
            "0 errors, 1 warning\n"
        )


def test_fail_on_stale_passes_content_without_stale_translations(runner, translated):
    assert runner.invoke(args=["content", "check", "--fail-on-stale"]).exit_code == 0


def test_a_mismatched_translation_fails_the_check(runner, translated):
    quiz = translated / "quiz.de.md"
    quiz.write_text(quiz.read_text().replace("- [ ] Viele Fragen\n", ""))

    result = runner.invoke(args=["content", "check"])

    assert result.exit_code == 1
    assert f"{translated}/quiz.de.md:12: question 'q-safe' has 1 options" in result.output
    # Left out, so it no longer counts as translated.
    assert "translations into de: 2 of 4 files in 1 module" in result.output


def test_stats_show_translations_per_module_and_language(runner, translated):
    (translated / "quiz.md").write_text((translated / "quiz.md").read_text() + "\n")

    result = runner.invoke(args=["content", "stats"])

    assert result.exit_code == 0
    assert result.output.split("\n\n")[1] == (
        "module  language  translated  stale  unreviewed\n"
        "trauma        de         3/4      1           2\n"
    )


def test_translation_hash_prints_the_source_s_hash(runner, translated):
    source_hash = sha256(translated / "quiz.md")

    for file in ("quiz.de.md", "quiz.md"):
        result = runner.invoke(args=["content", "translation-hash", str(translated / file)])
        assert (result.exit_code, result.output) == (0, f"{source_hash}\n")


def test_translation_hash_of_a_translation_without_a_source(runner, translated):
    orphan = translated / "09-gone.de.md"
    orphan.write_text("# Weg\n")

    result = runner.invoke(args=["content", "translation-hash", str(orphan)])

    assert result.exit_code == 1
    assert result.output == (
        f"{translated}/09-gone.md: cannot be read (missing, a link, or over the size limit)\n"
    )
