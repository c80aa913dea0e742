"""Centre facts in lessons: the placeholder syntax, what `content check` reports (with
file and line), what the loaded lesson remembers, and the replacement in the HTML."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from content_builders import QUIZ_MD, module_md

from academy.core.centre_facts import shown
from academy.core.content import check_content, load_catalogue
from academy.core.content.cache import ModuleCache, cache_file
from academy.core.content.facts import FACTS, FACTS_BY_NAME, fill
from academy.core.content.loader import load_module
from tests.conftest import FIXTURE_CONTENT

LESSON = """\
# What to do in an emergency

Call 112 now.

!!! note "At your centre"
    - Emergency number: [[centre:emergency-number]]
    - Out of hours: [[centre:out-of-hours-number]]

Your coordinator: [[centre:coordinator-contact]]. Again: [[centre:emergency-number]].
"""


def lesson_problems(write_module, content_dir, text: str) -> list[str]:
    write_module(files={"01-what-trauma-is.md": text})
    return [str(p) for p in check_content(content_dir)]


def test_a_lesson_remembers_the_facts_it_names_and_keeps_the_placeholders(
    write_module, content_dir
):
    write_module(files={"01-what-trauma-is.md": LESSON, "02-plain.md": "# Plain\n\nNo facts.\n"})

    catalogue = load_catalogue(content_dir)

    assert catalogue.problems == []
    named, plain = catalogue.modules["trauma"].lessons
    assert named.facts == ("coordinator-contact", "emergency-number", "out-of-hours-number")
    assert plain.facts == ()
    assert "<li>Emergency number: [[centre:emergency-number]]</li>" in named.html
    assert named.html.count("[[centre:emergency-number]]") == 2


def test_an_unknown_fact_is_an_error_at_its_line(write_module, content_dir):
    text = "# Title\n\nFine: [[centre:expenses]].\n\nCall [[centre:emergency-phone]].\n"

    problems = lesson_problems(write_module, content_dir, text)

    path = content_dir / "trauma" / "01-what-trauma-is.md"
    assert problems == [
        f"{path}:5: unknown centre fact 'emergency-phone' (known: "
        + ", ".join(fact.name for fact in FACTS)
        + ")"
    ]
    assert "trauma" not in load_catalogue(content_dir).modules  # left out until fixed


@pytest.mark.parametrize(
    "written",
    ["[[centre:Emergency-Number]]", "[[centre:emergency_number]]", "[[ centre: expenses ]]"],
)
def test_a_misspelt_placeholder_is_an_error_that_shows_the_syntax(
    write_module, content_dir, written
):
    problems = lesson_problems(write_module, content_dir, f"# Title\n\nCall {written} now.\n")

    path = content_dir / "trauma" / "01-what-trauma-is.md"
    assert problems == [
        f"{path}:3: {written!r}: write a centre fact as [[centre:name]] in small letters"
    ]


def test_a_placeholder_in_the_title_is_an_error(write_module, content_dir):
    problems = lesson_problems(write_module, content_dir, "# Call [[centre:expenses]]\n\nText.\n")

    path = content_dir / "trauma" / "01-what-trauma-is.md"
    assert problems == [f"{path}:1: [[centre:expenses]] cannot be in the title"]


def test_a_placeholder_in_a_link_address_is_an_error(write_module, content_dir):
    """A value there would not be escaped for an attribute, nor checked as a URL."""
    text = "# Title\n\nRead [the rules](/rules?[[centre:expenses]]) first.\n"

    problems = lesson_problems(write_module, content_dir, text)

    path = content_dir / "trauma" / "01-what-trauma-is.md"
    assert problems == [
        f"{path}:3: [[centre:expenses]] does not come out of Markdown as text; write it in "
        "running text, not in a link's address"
    ]


@pytest.mark.parametrize("file", ["module.md", "quiz.md"])
def test_placeholders_work_in_lessons_only(write_module, content_dir, file):
    text = (module_md() if file == "module.md" else QUIZ_MD) + "\nCall [[centre:expenses]].\n"
    write_module(files={file: text})

    problems = [str(p) for p in check_content(content_dir)]

    line = text.count("\n")
    path = content_dir / "trauma" / file
    assert f"{path}:{line}: [[centre:expenses]]: centre facts are filled in in lessons only" in (
        problems
    )


def test_the_cache_keeps_the_facts_a_lesson_names(tmp_path):
    content = Path(shutil.copytree(FIXTURE_CONTENT, tmp_path / "content"))
    (content / "basics" / "03-facts.md").write_text(LESSON, encoding="utf-8")
    file = cache_file(tmp_path / "cache", content)

    def start():
        cache = ModuleCache(file, lambda folder: load_module(folder, hints=False))
        catalogue = load_catalogue(content, cache.load)
        cache.save()
        return catalogue

    first, second = start(), start()

    assert second.modules["basics"].lessons[2].facts == first.modules["basics"].lessons[2].facts
    assert second.modules["basics"].lessons[2].facts == (
        "coordinator-contact",
        "emergency-number",
        "out-of-hours-number",
    )


def test_fill_replaces_known_placeholders_only():
    html = "<p>A [[centre:expenses]] B [[centre:gifts]] C [[centre:nothing]]</p>"

    assert fill(html, {"expenses": "<b>E</b>"}) == (
        "<p>A <b>E</b> B [[centre:gifts]] C [[centre:nothing]]</p>"
    )


def test_a_fact_is_shown_escaped_with_its_centre_when_there_are_several():
    fact = FACTS_BY_NAME["emergency-number"]

    assert shown(fact, []) == f'<span class="centre-fact missing">{fact.fallback}</span>'
    assert shown(fact, [("A", {})]) == shown(fact, [])
    assert shown(fact, [("A", {"emergency-number": "<script>x</script>"})]) == (
        '<span class="centre-fact">&lt;script&gt;x&lt;/script&gt;</span>'
    )
    assert shown(fact, [("A & B", {"emergency-number": "030 1"}), ("C", {})]) == (
        '<span class="centre-fact"><strong>A &amp; B</strong>: 030 1</span>; '
        f'<span class="centre-fact missing"><strong>C</strong>: {fact.fallback}</span>'
    )


def test_every_fact_has_a_fallback_that_says_what_to_ask():
    for fact in FACTS:
        assert "Ask your coordinator" in fact.fallback or "Ask who" in fact.fallback, fact.name
        assert fact.name.replace("-", "").isalnum() and fact.name.islower()
        assert fact.max_length <= 500  # the column's size
    for name in ("emergency-number", "out-of-hours-number"):
        assert "112" in FACTS_BY_NAME[name].fallback


def test_the_shipped_lessons_name_only_known_facts():
    catalogue = load_catalogue(FIXTURE_CONTENT.parents[2] / "content")
    assert catalogue.errors == []
    named = {name for m in catalogue.modules.values() for le in m.lessons for name in le.facts}
    assert named <= set(FACTS_BY_NAME)


# --- the shipped curriculum and the docs ----------------------------------------------------

SHIPPED = FIXTURE_CONTENT.parents[2] / "content"
DOCS = FIXTURE_CONTENT.parents[2] / "docs"


def shipped_lessons_with_facts():
    catalogue = load_catalogue(SHIPPED)
    return [(m.slug, le) for m in catalogue.modules.values() for le in m.lessons if le.facts]


def test_every_shipped_lesson_that_names_facts_ends_with_a_checklist():
    """docs/curriculum.md: such a lesson ends with "Ask your coordinator", 3 to 6 questions."""
    lessons = shipped_lessons_with_facts()
    assert len(lessons) >= 20
    for _, lesson in lessons:
        text = Path(lesson.path).read_text(encoding="utf-8").rstrip("\n")
        last = text.split("\n## ")[-1]
        heading, _, body = last.partition("\n")
        items = [line for line in body.split("\n") if line.startswith("- ")]
        assert heading == "Ask your coordinator", lesson.path
        assert 3 <= len(items) <= 6 and all(item.endswith("?") for item in items), lesson.path


def test_the_docs_list_every_fact_and_where_the_curriculum_names_it():
    authoring = (DOCS / "authoring.md").read_text(encoding="utf-8")
    for fact in FACTS:
        assert f"| `{fact.name}` | {fact.label} | {fact.max_length} |" in authoring
    curriculum = (DOCS / "curriculum.md").read_text(encoding="utf-8")
    lessons = shipped_lessons_with_facts()
    for fact in FACTS:
        named = [f"{slug}/{le.number:02d}" for slug, le in lessons if fact.name in le.facts]
        assert f"| `{fact.name}` | {', '.join(named)} |" in curriculum, fact.name
