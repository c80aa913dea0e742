"""Translations beside the source: picked per file, never taken as lessons, flagged when
stale, refused when they hold more than texts (academy/core/content/translations.py)."""

from __future__ import annotations

import json

from content_builders import LESSON_MD, module_md
from translation_builders import (
    LESSON_DE,
    MODULE_DE,
    QUIZ_DE,
    sha256,
    translate_all,
    write_translation,
)

from academy.core.content.cache import ModuleCache
from academy.core.content.loader import check_content, load_catalogue, load_module

SECOND_LESSON = "# Staying calm\n\nBreathe out slowly. Feel your feet on the floor.\n"


def messages(problems) -> list[str]:
    return [str(problem) for problem in problems]


def test_translation_files_are_never_taken_as_lessons(write_module):
    folder = write_module()
    translate_all(folder)

    result = load_module(folder)

    assert messages(result.problems) == []
    assert [lesson.slug for lesson in result.module.lessons] == ["what-trauma-is"]
    assert list(result.module.translations) == ["de"]


def test_the_reader_s_language_picks_each_translated_file(write_module):
    folder = write_module()
    translate_all(folder)
    source = load_module(folder).module

    german = source.in_language("de")

    assert (german.title, german.language) == ("Traumasensible Peer-Unterstützung", "de")
    assert german.objectives == (
        "Häufige Reaktionen auf Trauma erklären",
        "Zwei Grounding-Übungen anwenden",
    )
    lesson = german.lesson("what-trauma-is")
    assert (lesson.title, lesson.language) == ("Was Trauma ist", "de")
    assert "überwältigt" in lesson.html
    assert lesson.translation.reviewed is False
    assert lesson.translation.stale is False
    assert german.quiz.language == "de"
    assert german.quiz.question("q-first").text == "Was tun Sie zuerst?"
    # Everything but the texts is the source's.
    assert (german.slug, german.version, german.minutes) == (source.slug, "1.0", 45)
    assert german.quiz.pass_mark == source.quiz.pass_mark
    # A language without translations, and the source's own: the source module itself.
    assert source.in_language("uk") is source
    assert source.in_language("en") is source
    assert (source.title, source.language, source.translation) == (
        "Trauma-informed peer support",
        "en",
        None,
    )


def test_an_untranslated_file_falls_back_to_the_source_per_file(write_module):
    folder = write_module(files={"02-staying-calm.md": SECOND_LESSON})
    write_translation(folder, "01-what-trauma-is.de.md", LESSON_DE)
    source = load_module(folder).module

    german = source.in_language("de")

    first, second = german.lessons
    assert (first.title, first.language) == ("Was Trauma ist", "de")
    assert second is source.lesson("staying-calm")
    assert (second.language, second.translation) == ("en", None)
    # module.md and quiz.md are not translated: their texts stay the source's.
    assert (german.title, german.language, german.translation) == (source.title, "en", None)
    assert german.quiz is source.quiz


def test_a_changed_source_makes_its_translation_stale(tmp_path, write_module):
    folder = write_module()
    translate_all(folder, reviewed=True)
    (folder / "01-what-trauma-is.md").write_text(LESSON_MD + "\nA new paragraph.\n")

    result = load_module(folder)

    lesson = result.module.in_language("de").lesson("what-trauma-is")
    assert lesson.translation.stale is True
    assert lesson.translation.reviewed is True
    new_hash = sha256(folder / "01-what-trauma-is.md")
    assert messages(result.problems) == [
        f"{folder}/01-what-trauma-is.de.md:2: warning: stale translation: the source file has "
        "changed since it was translated; update the translation, then its source_sha256 to "
        f"{new_hash} (`academy content translation-hash {folder}/01-what-trauma-is.de.md`)"
    ]
    # The other files' sources did not change.
    assert result.module.in_language("de").translation.stale is False
    assert result.module.in_language("de").quiz.translation.stale is False


def test_a_module_translation_holds_only_texts(write_module):
    folder = write_module()
    write_translation(
        folder, "module.de.md", "", extra=MODULE_DE + 'version: "2.0"\nvalid_months: 6\n'
    )
    only = (
        "is not part of a translation, which takes only source_sha256, reviewed, title, "
        "summary, objectives, content_warning; everything else comes from the source file"
    )

    result = load_module(folder)

    assert messages(result.problems) == [
        f"{folder}/module.de.md:9: 'version' {only}",
        f"{folder}/module.de.md:10: 'valid_months' {only}",
    ]
    # Reported, and left out: the module stays, in the source's words.
    assert result.module is not None
    assert result.module.in_language("de") is result.module


def test_a_module_translation_keeps_the_number_of_objectives(write_module):
    folder = write_module()
    one_objective = MODULE_DE.split("  - Zwei")[0]
    write_translation(folder, "module.de.md", "", extra=one_objective)

    problems = check_content(folder)

    assert messages(problems) == [
        f"{folder}/module.de.md:6: 1 objectives, but module.md has 2: translate each one, "
        "in the same order"
    ]


def test_a_translated_introduction_replaces_the_source_s(write_module):
    folder = write_module()
    write_translation(folder, "module.de.md", "\nDie Einführung. Sie ist kurz.\n", extra=MODULE_DE)

    german = load_module(folder).module.in_language("de")

    assert german.intro_html == "<p>Die Einführung. Sie ist kurz.</p>"


def test_a_translation_must_say_what_it_was_made_from(write_module):
    folder = write_module()
    (folder / "01-what-trauma-is.de.md").write_text(LESSON_DE)
    write_translation(folder, "quiz.de.md", QUIZ_DE, digest="abc123")

    assert messages(check_content(folder)) == [
        f"{folder}/01-what-trauma-is.de.md:1: a translation starts with front matter: "
        "source_sha256 and reviewed (docs/authoring.md, Translations)",
        f"{folder}/quiz.de.md:2: 'source_sha256' must be the 64 lowercase hex digits of the "
        "source file's SHA-256 (`academy content translation-hash "
        f"{folder}/quiz.de.md`)",
    ]


def test_translations_without_a_source_or_in_the_source_language_are_refused(write_module):
    folder = write_module(files={"quiz.md": None})
    (folder / "07-gone.de.md").write_text("# Weg\n")
    (folder / "quiz.de.md").write_text(QUIZ_DE)
    (folder / "01-what-trauma-is.en.md").write_text(LESSON_MD)

    assert messages(check_content(folder)) == [
        f"{folder}/01-what-trauma-is.en.md:1: 'en' is the module's source language (en): "
        "change 01-what-trauma-is.md itself",
        f"{folder}/07-gone.de.md:1: 07-gone.md is not a lesson of this module: nothing to "
        "translate",
        f"{folder}/quiz.de.md:1: there is no quiz.md to translate",
    ]


def test_a_module_in_another_source_language(write_module):
    folder = write_module(files={"module.md": module_md("language: de\n")})
    write_translation(folder, "01-what-trauma-is.en.md", "# What trauma is, in English\n")

    module = load_module(folder).module

    assert module.language == "de"
    assert module.in_language("en").lessons[0].title == "What trauma is, in English"
    assert module.in_language("en").lessons[0].translation.source_language == "de"


def test_a_translation_keeps_the_lesson_s_centre_facts(write_module):
    folder = write_module(
        files={"01-what-trauma-is.md": "# Help\n\nCall [[centre:emergency-number]] now.\n"}
    )
    write_translation(folder, "01-what-trauma-is.de.md", "# Hilfe\n\nRufen Sie an.\n")

    assert messages(check_content(folder)) == [
        f"{folder}/01-what-trauma-is.de.md:5: the translation names the centre facts (none), "
        "the source (emergency-number): keep every [[centre:name]]"
    ]


def test_translations_are_cached_with_their_module(tmp_path, content_dir, write_module):
    folder = write_module()
    translate_all(folder)
    cache_file = tmp_path / "cache.json"
    first = ModuleCache(cache_file, load_module)
    rendered = load_catalogue(content_dir, first.load).modules["trauma"]
    first.save()

    second = ModuleCache(cache_file, lambda folder: (_ for _ in ()).throw(AssertionError))
    cached = load_catalogue(content_dir, second.load).modules["trauma"]

    assert cached == rendered
    assert cached.in_language("de") == rendered.in_language("de")
    assert cached.in_language("de").lessons[0].translation == (
        rendered.in_language("de").lessons[0].translation
    )
    assert (
        "de"
        in json.loads(cache_file.read_text())["modules"]["trauma"]["result"]["module"][
            "translations"
        ]
    )


def test_a_module_translation_translates_the_content_warning_exactly_when_there_is_one(
    write_module,
):
    warned = write_module("warned", {"module.md": module_md("content_warning: Hard topics.\n")})
    write_translation(
        warned, "module.de.md", "", extra=MODULE_DE + "content_warning: Schwere Themen.\n"
    )
    unwarned = write_module("calm")
    write_translation(
        unwarned, "module.de.md", "", extra=MODULE_DE + "content_warning: Schwere Themen.\n"
    )
    forgotten = write_module("forgotten", {"module.md": module_md("content_warning: Hard.\n")})
    write_translation(forgotten, "module.de.md", "", extra=MODULE_DE)

    assert load_module(warned).module.in_language("de").content_warning == "Schwere Themen."
    assert messages(check_content(unwarned)) == [
        f"{unwarned}/module.de.md:9: module.md has no content_warning: a translation can only "
        "translate one"
    ]
    assert messages(check_content(forgotten)) == [
        f"{forgotten}/module.de.md:1: missing required key 'content_warning'"
    ]


def test_plain_language_hints_run_on_translations_with_their_file_lines(write_module):
    folder = write_module()
    long = " ".join(["Wort"] * 31) + "."
    write_translation(folder, "01-what-trauma-is.de.md", f"# Was Trauma ist\n\n{long} Gut.\n")

    assert messages(check_content(folder)) == [
        f"{folder}/01-what-trauma-is.de.md:7: warning: sentence of 31 words; aim for 30 or fewer"
    ]
