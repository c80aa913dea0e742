"""Pages in the reader's language: each file's translation where there is one, else the
source, and the page says which (courses views, templates/courses/_translation.html)."""

from __future__ import annotations

import re

import pytest

from academy.core.catalogue import current_catalogue, init_catalogue
from tests.modules.courses.translated_content import ENGLISH, GERMAN, german_content

NOT_CHECKED = "Übersetzt, noch nicht von einem Menschen geprüft."  # the German interface


@pytest.fixture
def app_config(app_config, tmp_path):
    return app_config | {"ACADEMY_CONTENT_DIR": str(german_content(tmp_path))}


@pytest.fixture
def signed_in(client, auth, trainee):
    auth.sign_in(trainee)
    return client


def article(page: str) -> tuple[str, str]:
    """The lesson article's opening tag and its text."""
    match = re.search(r"(<article[^>]*>)(.*?)</article>", page, re.S)
    assert match, "no lesson article"
    return match.group(1), match.group(2)


def test_a_translated_lesson_is_shown_in_german_and_says_it_is_unchecked(signed_in):
    page = signed_in.get("/modules/basics/lessons/first-steps", headers=GERMAN).text

    tag, text = article(page)
    assert tag == '<article class="prose" lang="de" dir="ltr">'
    assert ">Erste Schritte</h1>" in text
    assert NOT_CHECKED in page
    assert "not yet available" not in page
    assert '<span lang="en" dir="ltr">Next steps</span> ›</a>' in page


def test_an_untranslated_lesson_falls_back_to_the_english_original_and_says_so(signed_in):
    page = signed_in.get("/modules/basics/lessons/next-steps", headers=GERMAN).text

    tag, text = article(page)
    assert tag == '<article class="prose" lang="en" dir="ltr">'
    assert ">Next steps</h1>" in text
    assert (
        "Diese Lektion gibt es noch nicht auf Deutsch. Sie lesen das Original auf Englisch." in page
    )
    assert NOT_CHECKED not in page
    # The way back leads to the German first lesson.
    assert '">‹ Erste Schritte</a>' in page


def test_an_english_reader_reads_the_source_without_notes(signed_in):
    page = signed_in.get("/modules/basics/lessons/first-steps", headers=ENGLISH).text

    tag, text = article(page)
    assert tag == '<article class="prose" lang="en" dir="ltr">'
    assert ">First steps</h1>" in text
    assert 'class="translation-note"' not in page


def test_a_reader_of_a_language_without_translations_is_told_in_its_own_name(signed_in):
    page = signed_in.get("/modules/basics/lessons/first-steps", headers={"Accept-Language": "ar"})

    tag, _ = article(page.text)
    assert tag == '<article class="prose" lang="en" dir="ltr">'
    assert "هذا الدرس غير متوفر بعد باللغة العربية؛ أنت تقرأ النص الأصلي باللغة الإنجليزية." in (
        page.text
    )


def test_a_stale_translation_tells_the_reader_a_newer_english_version_exists(app, signed_in):
    lesson = current_catalogue().modules["basics"].lesson("first-steps")
    with open(lesson.path, "a", encoding="utf-8") as source:
        source.write("\nA new sentence.\n")
    init_catalogue(app)

    page = signed_in.get("/modules/basics/lessons/first-steps", headers=GERMAN).text

    assert "Erste Schritte" in article(page)[1]
    assert (
        "Es gibt eine neuere Fassung dieser Lektion auf Englisch. Diese Übersetzung hat die "
        "letzten Änderungen noch nicht." in page
    )


def test_the_module_page_in_german(signed_in):
    page = signed_in.get("/modules/basics", headers=GERMAN).text

    assert "<h1>Grundlagen</h1>" in page
    assert '<p class="lead">Das erste Modul der Testinhalte.</p>' in page
    assert "<li>Die Grundlagen kennen</li>" in page
    assert "Willkommen bei den Grundlagen." in page
    # Each text marks its language where it is not the page's.
    listed = page[page.index('<ol class="lessons">') :]
    lessons = re.findall(r'<li>\s*<a href="[^"]+">(.+?)</a>', listed)
    assert lessons == ["Erste Schritte", '<span lang="en" dir="ltr">Next steps</span>']
    # module.md is unreviewed, the quiz reviewed: one note, for the description.
    assert page.count(NOT_CHECKED) == 1
    assert "Starten: Erste Schritte</a>" in page


def test_the_catalogue_in_german_keeps_untranslated_modules_in_english(signed_in):
    page = signed_in.get("/modules", headers=GERMAN).text

    titles = re.findall(r'<h2( lang="en" dir="ltr")?><a href="[^"]+">([^<]+)</a></h2>', page)
    assert titles == [("", "Grundlagen"), (' lang="en" dir="ltr"', "Advanced")]
    assert "Öffnet sich nach: Grundlagen</p>" in page
