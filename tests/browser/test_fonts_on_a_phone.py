"""On a phone whose only font draws Latin letters, Tigrinya and Arabic are drawn with the
app's own web fonts, not as empty boxes; a page in Latin letters downloads no font; on a
phone that has Noto Naskh Arabic (as Android phones do), an Arabic page downloads none.

The "phone" is a second Chromium whose fontconfig knows one font, "PhoneSans": DejaVu Sans
cut down to Latin, so what the page shows depends on the app alone, not on this machine's
fonts.
"""

from __future__ import annotations

import shutil

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont

from academy.core import web_fonts
from tests.browser.helpers import CHROMIUM, CHROMIUM_ARGS, new_user, set_language, sign_in

TIGRINYA, ARABIC = "ትግርኛ", "العربية"
LESSON = "/modules/peer-role/lessons/what-a-peer-advisor-does"


def phone_with_fonts(browser, folder, *installed: str):
    """A Chromium whose fontconfig knows "PhoneSans" (Latin only) and the named fonts of
    static/fonts, as if the phone came with them."""
    for name in installed:
        shutil.copy(web_fonts.SOURCE_DIR / name, folder / name)
    font = TTFont(web_fonts.SOURCE_DIR / "DejaVuSans.ttf")
    options = subset.Options()
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[*range(0x20, 0x250), *range(0x2010, 0x2070)])
    subsetter.subset(font)
    for name_id in (1, 4, 6):  # not "DejaVu Sans": a local() rule must not find it
        font["name"].setName("PhoneSans", name_id, 3, 1, 0x409)
    font.save(folder / "PhoneSans.ttf")
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>{folder}</dir><cachedir>{folder / 'cache'}</cachedir></fontconfig>"
    )
    return browser.browser_type.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, env={"FONTCONFIG_FILE": str(config)}
    )


@pytest.fixture(scope="module")
def latin_only_phone(browser, tmp_path_factory):
    phone = phone_with_fonts(browser, tmp_path_factory.mktemp("latin-only-fonts"))
    yield phone
    phone.close()


@pytest.fixture(scope="module")
def android_phone(browser, tmp_path_factory):
    """Android phones come with Noto Naskh Arabic."""
    arabic = ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf")
    phone = phone_with_fonts(browser, tmp_path_factory.mktemp("android-fonts"), *arabic)
    yield phone
    phone.close()


@pytest.fixture
def phone_page(latin_only_phone, base_url):
    context = latin_only_phone.new_context(
        base_url=base_url, viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    page.font_requests = []
    page.on("request", lambda r: "/static/fonts/" in r.url and page.font_requests.append(r.url))
    yield page
    context.close()


def draw(page, text: str, font: str) -> list[int]:
    """The pixels of the text drawn on a canvas in that font."""
    return page.evaluate(
        """([text, font]) => {
            const canvas = document.createElement("canvas");
            canvas.width = 240; canvas.height = 60;
            const context = canvas.getContext("2d");
            context.font = font;
            context.fillText(text, 10, 40);
            return Array.from(context.getImageData(0, 0, 240, 60).data);
        }""",
        [text, font],
    )


def in_some_range(code_point: int, unicode_ranges: list[str]) -> bool:
    """Whether a face with one of these unicode-range values (U+600-604, U+FEFF) draws it."""
    for value in unicode_ranges:
        for span in value.replace("U+", "").split(","):
            low, _, high = span.strip().partition("-")
            if int(low, 16) <= code_point <= int(high or low, 16):
                return True
    return False


def platform_fonts(page, selector: str) -> list[dict]:
    """The fonts Chromium drew the element's text with."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


def test_tigrinya_and_arabic_are_drawn_with_the_apps_fonts(phone_page):
    page = phone_page
    page.goto("/sign-in")
    page.evaluate(
        """([tigrinya, arabic]) => {
            document.querySelector("main").insertAdjacentHTML("beforeend",
              `<p id="ti" lang="ti">${tigrinya}</p><p id="ar" lang="ar" dir="rtl">${arabic}</p>`);
        }""",
        [TIGRINYA, ARABIC],
    )
    page.evaluate("document.fonts.ready")
    page.wait_for_function(
        "([t, a]) => document.fonts.check('16px \"Academy Scripts\"', t + a)",
        arg=[TIGRINYA, ARABIC],
    )

    loaded = page.evaluate(
        """() => Array.from(document.fonts)
              .filter(f => f.status === "loaded")
              .filter(f => f.family.replace(/"/g, "") === "Academy Scripts")
              .map(f => f.unicodeRange)"""
    )
    assert in_some_range(ord(TIGRINYA[0]), loaded) and in_some_range(ord(ARABIC[-1]), loaded)
    assert sorted(url.rsplit("/", 1)[1] for url in page.font_requests) == [
        "arabic-400.woff2",
        "ethiopic-400.woff2",
    ]
    # DevTools' "Rendered fonts": which font drew the text.
    (tigrinya,) = platform_fonts(page, "#ti")
    assert tigrinya["familyName"] == "Noto Sans Ethiopic" and tigrinya["isCustomFont"]
    (arabic,) = platform_fonts(page, "#ar")
    assert arabic["familyName"] == "Noto Naskh Arabic" and arabic["isCustomFont"]

    # Without the app's fonts this phone draws the word as boxes, the same as four
    # characters no font has; with them, as letters.
    page_font = page.evaluate("getComputedStyle(document.body).fontFamily")
    boxes = draw(page, "\ue000\ue001\ue002\ue003", "32px sans-serif")
    assert draw(page, TIGRINYA, "32px sans-serif") == boxes, "this phone has an Ethiopic font"
    assert draw(page, TIGRINYA, f"32px {page_font}") != boxes
    assert (
        page.evaluate(
            """([text, font]) => {
            const context = document.createElement("canvas").getContext("2d");
            context.font = font;
            return context.measureText(text).width;
        }""",
            [ARABIC, f"32px {page_font}"],
        )
        > 0
    )


def test_a_page_in_latin_letters_downloads_no_font(phone_page, live_app):
    page = phone_page
    sign_in(page, new_user(live_app))
    page.goto(LESSON)
    page.evaluate("document.fonts.ready")
    assert page.font_requests == []
    assert not page.evaluate(
        "Array.from(document.fonts).some(f => f.status === 'loading' || f.status === 'loaded')"
    )


def test_a_phone_with_the_arabic_font_reads_arabic_pages_without_downloading_it(
    android_phone, base_url, live_app
):
    """The font rules name the installed Noto font first (local()): an Arabic page on an
    Android phone costs no font download (docs/accessibility.md, docs/performance.md)."""
    context = android_phone.new_context(base_url=base_url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    font_requests = []
    page.on("request", lambda r: "/static/fonts/" in r.url and font_requests.append(r.url))
    try:
        username = new_user(live_app)
        set_language(live_app, username, "ar")
        sign_in(page, username)
        page.goto(LESSON)
        assert page.evaluate("document.documentElement.lang") == "ar"
        page.evaluate("document.fonts.ready")
        assert font_requests == []
        drawn_with = {font["familyName"] for font in platform_fonts(page, "h1")}
        assert "Noto Naskh Arabic" in drawn_with, drawn_with
    finally:
        context.close()
