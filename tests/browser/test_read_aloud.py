"""Read aloud on a lesson page, with the browser's speech synthesis replaced by a stand-in
that records what it is asked to say and ends an utterance when the test says so."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PASSWORD, new_user, sign_in

LESSON = "/modules/peer-role/lessons/what-a-peer-advisor-does"

# Stands in for window.speechSynthesis: window.__speech.spoken lists each utterance (text,
# lang, voice), .calls the other calls; .finish() ends the utterance being spoken. Like
# Chromium, cancel() ends the current utterance with an "interrupted" error.
FAKE_SPEECH = """
(() => {
  const record = { spoken: [], calls: [], voices: VOICES };
  let current = null;
  const queue = [];
  function next() {
    if (current || !queue.length) return;
    current = queue.shift();
    if (current.onstart) current.onstart({});
  }
  window.SpeechSynthesisUtterance = function (text) {
    this.text = text; this.lang = ""; this.voice = null;
    this.onstart = null; this.onend = null; this.onerror = null;
  };
  const synth = {
    getVoices() { return record.voices; },
    speak(utterance) {
      record.spoken.push({
        text: utterance.text, lang: utterance.lang,
        voice: utterance.voice && utterance.voice.name,
      });
      queue.push(utterance);
      next();
    },
    cancel() {
      record.calls.push("cancel");
      if (window.reportCancel) window.reportCancel();
      const interrupted = current;
      current = null;
      queue.length = 0;
      if (interrupted && interrupted.onerror) interrupted.onerror({ error: "interrupted" });
    },
    pause() { record.calls.push("pause"); },
    resume() { record.calls.push("resume"); },
    addEventListener() {},
  };
  record.finish = () => {
    const done = current;
    current = null;
    if (done && done.onend) done.onend({});
    next();
  };
  Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true });
  window.__speech = record;
})();
"""
ENGLISH = [{"name": "Test English", "lang": "en-GB", "localService": True}]
GERMAN = [{"name": "Test Deutsch", "lang": "de-DE", "localService": True}]


def with_voices(page, voices: list[dict]) -> None:
    page.add_init_script(FAKE_SPEECH.replace("VOICES", str(voices).replace("True", "true")))


def spoken(page) -> list[dict]:
    return page.evaluate("window.__speech.spoken")


def state(page) -> str:
    return page.locator(".read-aloud").get_attribute("data-state")


def highlighted(page) -> list[str]:
    return page.eval_on_selector_all(
        "article.prose .read-aloud-current", "els => els.map(e => e.textContent.trim())"
    )


@pytest.fixture
def lesson(page, live_app):
    with_voices(page, ENGLISH)
    sign_in(page, new_user(live_app))
    page.goto(LESSON)
    return page


def test_reading_pausing_resuming_and_stopping(lesson):
    page = lesson
    read = page.get_by_role("button", name="Read aloud", exact=True)
    assert state(page) == "idle" and read.get_attribute("aria-pressed") == "false"
    expect(page.get_by_role("button", name="Pause", exact=True)).to_be_hidden()

    read.click()
    assert state(page) == "reading" and read.get_attribute("aria-pressed") == "true"
    expect(page.get_by_role("status").filter(has_text="Reading the lesson aloud")).to_be_visible()
    first = spoken(page)[0]
    heading = page.locator("article.prose h1").inner_text().strip()
    assert first == {"text": heading, "lang": "en", "voice": "Test English"}
    assert highlighted(page) == [heading]

    page.evaluate("window.__speech.finish()")  # the heading is read: on to the next block
    second = spoken(page)[1]["text"]
    assert highlighted(page) == [second] and second != heading
    in_view = "el => { const r = el.getBoundingClientRect(); return r.top < innerHeight; }"
    assert page.locator(".read-aloud-current").evaluate(in_view), "not scrolled into view"

    page.get_by_role("button", name="Pause", exact=True).click()
    assert state(page) == "paused"
    expect(page.get_by_role("status").filter(has_text="Paused")).to_be_visible()
    assert len(spoken(page)) == 2, "a cancelled utterance's end moved on to the next block"
    assert highlighted(page) == [second]

    page.get_by_role("button", name="Resume", exact=True).click()
    assert state(page) == "reading"
    assert spoken(page)[2]["text"] == second, "Resume does not read the paused block again"

    page.get_by_role("button", name="Stop", exact=True).click()
    assert state(page) == "idle" and read.get_attribute("aria-pressed") == "false"
    expect(page.get_by_role("status").filter(has_text="Stopped")).to_be_visible()
    assert highlighted(page) == []
    assert len(spoken(page)) == 3
    assert page.evaluate("window.__speech.calls") == ["cancel", "cancel"]  # Pause, Stop


def test_reading_to_the_end_reads_every_block_once(lesson):
    page = lesson
    page.get_by_role("button", name="Read aloud", exact=True).click()
    while state(page) == "reading":
        page.evaluate("window.__speech.finish()")
    texts = [entry["text"] for entry in spoken(page)]
    blocks = page.eval_on_selector_all(
        "article.prose :is(h1, h2, h3, p, li, th, td):not(:has(p))",
        "els => els.map(e => e.textContent.trim()).filter(Boolean)",
    )
    assert texts == blocks, "each heading, paragraph, list item and table cell once, in order"
    expect(page.get_by_role("status").filter(has_text="whole lesson has been read")).to_be_visible()
    assert highlighted(page) == []


@pytest.fixture
def german_lesson(browser, base_url, live_app):
    """The lesson in German, for a browser that asks for German (the German translation)."""
    context = browser.new_context(locale="de-DE", base_url=base_url)
    page = context.new_page()
    page.goto("/sign-in")
    page.locator("#username").fill(new_user(live_app))
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    page.wait_for_url("**/modules")
    yield page
    context.close()


def test_a_german_lesson_is_read_in_german(german_lesson):
    page = german_lesson
    with_voices(page, [*ENGLISH, *GERMAN])
    page.goto(LESSON)
    assert page.locator("article.prose").get_attribute("lang") == "de"
    page.get_by_role("button", name="Vorlesen", exact=True).click()
    expect(
        page.get_by_role("status").filter(has_text="Die Lektion wird vorgelesen")
    ).to_be_visible()
    assert {(e["lang"], e["voice"]) for e in spoken(page)} == {("de", "Test Deutsch")}


def test_without_a_voice_for_the_language_it_says_so(german_lesson):
    page = german_lesson
    with_voices(page, ENGLISH)
    page.goto(LESSON)
    page.get_by_role("button", name="Vorlesen", exact=True).click()
    status = page.get_by_role("status").filter(has_text="keine Stimme")
    assert status.inner_text().startswith("Ihr Telefon hat keine Stimme für Deutsch.")
    assert state(page) == "no-voice" and spoken(page) == []


def test_the_quick_exit_silences_the_voice(page, live_app, exit_site):
    cancelled = []
    page.expose_function("reportCancel", lambda: cancelled.append(page.url))
    with_voices(page, ENGLISH)
    sign_in(page, new_user(live_app))
    page.goto(LESSON)
    page.get_by_role("button", name="Read aloud", exact=True).click()
    cancelled.clear()
    page.locator("a.quick-exit").click()
    page.wait_for_url(exit_site)
    assert cancelled, "the voice went on reading the lesson after the quick exit"


def test_without_javascript_there_is_no_control(browser, base_url, live_app):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, new_user(live_app))
        page.goto(LESSON)
        expect(page.locator("article.prose h1")).to_be_visible()
        assert page.get_by_role("button", name="Read aloud", exact=True).count() == 0
        assert page.get_by_role("button", name="Pause", exact=True).count() == 0
        assert page.locator(".read-aloud").count() == 0
    finally:
        context.close()


def test_without_speech_synthesis_there_is_no_control(page, live_app):
    page.add_init_script("delete window.speechSynthesis; window.speechSynthesis = undefined;")
    sign_in(page, new_user(live_app))
    page.goto(LESSON)
    assert page.get_by_role("button", name="Read aloud", exact=True).count() == 0
