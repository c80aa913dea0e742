"""The web fonts: every script the PDF draws is served to the page, Latin never is, and the
files ``make fonts`` wrote and the committed fonts.css match the source fonts."""

from __future__ import annotations

import re

import pytest
from fontTools.ttLib import TTFont

from academy.core import web_fonts
from academy.core.catalogue import current_catalogue
from academy.core.config import PROJECT_ROOT
from academy.modules.certificates.pdf import FALLBACK_FONTS

# A word in each script the PDF supports (docs/certificates.md), as a trainee might write it.
WORDS = {
    "Tigrinya": "ትግርኛ",
    "Amharic": "አማርኛ",
    "Arabic": "العربية",
    "Persian": "فارسی",
    "Hebrew": "עברית",
    "Hindi": "हिन्दी",
    "Bengali": "বাংলা",
    "Tamil": "தமிழ்",
    "Thai": "ภาษาไทย",
    "Armenian": "Հայերեն",
    "Georgian": "ქართული",
    "Chinese": "中文",
    "Japanese": "日本語かなカナ",
    "Korean": "한국어",
}


@pytest.fixture
def app_config(app_config):
    return app_config | {"ACADEMY_CONTENT_DIR": str(PROJECT_ROOT / "content")}


def claimed_by_a_file() -> set[int]:
    return {cp for file in web_fonts.web_font_files() for cp in file.claimed}


@pytest.mark.parametrize("language", sorted(WORDS))
def test_every_letter_of_each_script_is_served(language):
    missing = {ch for ch in WORDS[language] if ord(ch) not in claimed_by_a_file()}
    assert not missing, f"{language}: no web font draws {missing}"


def test_every_fallback_font_of_the_pdf_has_web_fonts():
    served = {source for file in web_fonts.web_font_files() for source in [file.source]}
    assert {family.regular for family in FALLBACK_FONTS} <= served


def test_latin_greek_cyrillic_and_punctuation_never_fetch_a_font():
    """Every phone draws them: an English, German, Romanian or Ukrainian page costs no font."""
    claimed = claimed_by_a_file()
    latin = set(range(0x0000, 0x0250)) | set(range(0x1E00, 0x1F00)) | set(range(0x2010, 0x2070))
    greek_cyrillic = set(range(0x0370, 0x0530)) | set(range(0x1F00, 0x2000))
    assert not claimed & (latin | greek_cyrillic)
    assert not {ord(ch) for ch in "Українська Ελληνικά Română Deutsch €"} & claimed


def test_no_character_is_claimed_twice_in_one_weight():
    seen: dict[tuple[tuple[int, int], int], str] = {}
    for file in web_fonts.web_font_files():
        for cp in file.claimed:
            assert (file.weights, cp) not in seen, f"U+{cp:04X}: {seen[file.weights, cp]}"
            seen[file.weights, cp] = file.filename


def test_a_word_needs_only_its_scripts_files():
    needed = [f.filename for f in web_fonts.files_needed(f"Name: {WORDS['Tigrinya']}", [400])]
    assert needed == ["ethiopic-400.woff2"]
    chinese = web_fonts.files_needed(WORDS["Chinese"], [700])  # CJK has one weight for all
    assert 1 <= len(chinese) <= 2 and all(f.filename.startswith("cjk-") for f in chinese)


def test_no_lesson_of_the_curriculum_needs_a_web_font(app):
    """The English curriculum is in Latin letters: its lesson pages download no font."""
    with app.app_context():
        lessons = [m.lessons for m in current_catalogue().modules.values()]
    assert sum(len(each) for each in lessons) > 20
    for lesson in (lesson for each in lessons for lesson in each):
        assert web_fonts.files_needed(lesson.html) == [], lesson.slug


def test_unicode_range_joins_consecutive_code_points():
    assert web_fonts.unicode_range([0x600, 0x601, 0x602, 0x605, 0x1E7E0]) == (
        "U+0600-0602, U+0605, U+1E7E0"
    )


def test_the_committed_css_is_what_make_fonts_writes():
    assert web_fonts.CSS_FILE.read_text(encoding="utf-8") == web_fonts.font_face_css(), (
        "static/css/fonts.css is out of date: run `make fonts` and commit it"
    )


def test_the_css_points_to_each_file_once_with_its_range():
    css = web_fonts.CSS_FILE.read_text(encoding="utf-8")
    urls = re.findall(r'url\("\.\./fonts/web/([^"]+)"\)', css)
    files = web_fonts.web_font_files()
    assert urls == [file.filename for file in files]
    ethiopic = next(f for f in files if f.filename == "ethiopic-400.woff2")
    assert f"unicode-range: {web_fonts.unicode_range(ethiopic.claimed)};" in css
    assert 'local("NotoSansEthiopic-Regular")' in css


def test_cjk_is_cut_into_small_slices():
    slices = [f for f in web_fonts.web_font_files() if f.filename.startswith("cjk-")]
    assert len(slices) > 20
    assert all(len(s.claimed) <= web_fonts.CJK_SLICE for s in slices)


@pytest.mark.parametrize("file", web_fonts.web_font_files(), ids=lambda f: f.filename)
def test_each_built_file_draws_what_it_claims(file):
    path = web_fonts.WEB_DIR / file.filename
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make fonts`")
    font = TTFont(path)
    try:
        assert font.flavor == "woff2"
        assert set(font.getBestCmap()) == set(file.kept)
        assert {"GSUB", "GPOS"} & set(font.keys()) or file.source.startswith("WenQuanYi")
        licence = font["name"].getDebugName(13) or font["name"].getDebugName(0)
        assert licence, "the licence or copyright notice was dropped"
    finally:
        font.close()
