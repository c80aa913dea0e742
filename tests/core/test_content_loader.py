from pathlib import Path

import pytest
from content_builders import LESSON_MD, QUIZ_MD, module_md

from academy.core.content import check_content, content_stats, load_catalogue


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


def test_valid_module_is_loaded_and_rendered(content_dir, write_module):
    folder = write_module(
        files={
            "module.md": module_md("content_warning: Talks about violence.\n"),
            "02-grounding.md": "# Grounding *now*\n\n## Feet\n\nFeel your feet.\n",
            "map.png": "not really a png",
        }
    )
    catalogue = load_catalogue(content_dir)
    assert catalogue.problems == []
    module = catalogue.modules["trauma"]
    assert module.title == "Trauma-informed peer support"
    assert module.summary == "What trauma does and how to help."
    assert module.minutes == 45
    assert module.objectives == (
        "Explain common reactions to trauma",
        "Use two grounding techniques",
    )
    assert module.version == "1.0"
    assert module.prerequisites == ()
    assert module.content_warning == "Talks about violence."
    assert module.valid_months == 24
    assert module.intro_html == "<p>The introduction. It is short.</p>"
    assert module.path == str(folder)
    assert [(le.number, le.slug, le.title) for le in module.lessons] == [
        (1, "what-trauma-is", "What trauma is"),
        (2, "grounding", "Grounding now"),
    ]
    grounding = module.lesson("grounding")
    assert grounding.html == (
        '<h1 id="grounding-now">Grounding <em>now</em></h1>\n'
        '<h2 id="feet">Feet</h2>\n<p>Feel your feet.</p>'
    )
    assert grounding.path == str(folder / "02-grounding.md")
    assert module.quiz.path == str(folder / "quiz.md")
    assert module.quiz.questions[0].id == "q-first"


def test_unquoted_version_is_taken_as_written(content_dir, write_module):
    write_module(files={"module.md": module_md().replace('version: "1.0"', "version: 1.10")})
    assert load_catalogue(content_dir).modules["trauma"].version == "1.10"


def test_module_without_quiz_has_none(content_dir, write_module):
    write_module(files={"quiz.md": None})
    assert load_catalogue(content_dir).modules["trauma"].quiz is None


def test_reading_time_uses_150_words_per_minute(content_dir, write_module):
    text = "# Long\n\n" + "Word word word word word. " * 89  # 1 + 445 words
    write_module(files={"01-what-trauma-is.md": text})
    lesson = load_catalogue(content_dir).modules["trauma"].lessons[0]
    assert (lesson.words, lesson.minutes) == (446, 3)


def test_short_lesson_takes_at_least_a_minute(content_dir, write_module):
    write_module()
    lesson = load_catalogue(content_dir).modules["trauma"].lessons[0]
    assert (lesson.words, lesson.minutes) == (15, 1)


def test_modules_are_ordered_by_prerequisites_then_slug(content_dir, write_module):
    write_module("zulu")
    write_module("alpha", {"module.md": module_md("prerequisites: [zulu]\n")})
    write_module("mike")
    write_module("bravo", {"module.md": module_md("prerequisites: [alpha, mike]\n")})
    catalogue = load_catalogue(content_dir)
    assert catalogue.problems == []
    assert list(catalogue.modules) == ["mike", "zulu", "alpha", "bravo"]


def test_hidden_and_underscore_folders_and_other_files_are_ignored(content_dir, write_module):
    write_module()
    (content_dir / ".git").mkdir()
    (content_dir / "_drafts").mkdir()
    (content_dir / "_drafts" / "module.md").write_text("broken")
    (content_dir / "README.md").write_text("Not a module.")
    catalogue = load_catalogue(content_dir)
    assert catalogue.problems == []
    assert list(catalogue.modules) == ["trauma"]


def test_markdown_file_without_number_gets_a_warning(content_dir, write_module):
    write_module(files={"notes.md": "# Notes"})
    catalogue = load_catalogue(content_dir)
    assert messages(catalogue.problems) == [
        f"{content_dir}/trauma/notes.md:1: warning: ignored: lesson files are named NN-name.md, "
        "e.g. 01-introduction.md"
    ]
    assert "trauma" in catalogue.modules


MODULE_ERRORS = [
    ({"module.md": None}, "module.md:1: missing module.md"),
    (
        {"module.md": module_md().replace("title: Trauma-informed peer support\n", "")},
        "module.md:1: missing required key 'title'",
    ),
    (
        {"module.md": module_md().replace("Trauma-informed peer support", "''")},
        "module.md:2: 'title' must be non-empty text",
    ),
    (
        {"module.md": module_md("objective: Typo\n")},
        "module.md:9: unknown key 'objective'",
    ),
    (
        {"module.md": module_md().replace("minutes: 45", "minutes: 601")},
        "module.md:4: 'minutes' must be a whole number from 1 to 600",
    ),
    (
        {"module.md": module_md().replace("minutes: 45", "minutes: forty")},
        "module.md:4: 'minutes' must be a whole number from 1 to 600",
    ),
    (
        {"module.md": module_md().replace("  - Use two grounding techniques", "  - ''")},
        "module.md:7: 'objectives' items must be text",
    ),
    (
        {"module.md": module_md("valid_months: 121\n")},
        "module.md:9: 'valid_months' must be a whole number from 1 to 120",
    ),
    (
        {"module.md": module_md("prerequisites: [Peer Role]\n")},
        "module.md:9: 'Peer Role' in 'prerequisites' is not a valid slug (a-z, 0-9 and -)",
    ),
    (
        {"module.md": module_md("prerequisites: [peer-role]\n")},
        "module.md:9: prerequisite 'peer-role' is not a module",
    ),
    (
        {"module.md": module_md("prerequisites: [trauma]\n")},
        "module.md:9: prerequisite cycle: trauma -> trauma",
    ),
    (
        {"module.md": module_md("summary: [unclosed\n")},
        "module.md:10: invalid YAML: did not find expected ',' or ']'",
    ),
    (
        {"module.md": "Just text.\n"},
        "module.md:1: module.md must start with front matter between '---'",
    ),
    (
        {"module.md": "---\ntitle: x\n"},
        "module.md:1: front matter is not closed with a '---' line",
    ),
    ({"01-what-trauma-is.md": None}, "module.md:1: the module has no lessons (NN-name.md)"),
    (
        {"01-what-trauma-is.md": "\n\nNo title here.\n"},
        "01-what-trauma-is.md:3: a lesson must start with a '# ' title",
    ),
    (
        {"01-what-trauma-is.md": "## Second level\n"},
        "01-what-trauma-is.md:1: a lesson must start with a '# ' title",
    ),
    (
        {"1-again.md": "# Again\n"},
        "1-again.md:1: lesson number 1 is also used by 01-what-trauma-is.md",
    ),
    (
        {"02-What Now.md": "# Now\n"},
        "02-What Now.md:1: lesson slug 'What Now' must use only a-z, 0-9 and - "
        "(it is part of the URL)",
    ),
    (
        {"quiz.md": QUIZ_MD.replace("(x)", "( )")},
        "quiz.md:6: question has no correct option",
    ),
]


@pytest.mark.parametrize(("files", "expected"), MODULE_ERRORS)
def test_module_errors_leave_the_module_out(content_dir, write_module, files, expected):
    write_module("trauma", files)
    write_module("other")
    catalogue = load_catalogue(content_dir)
    assert messages(catalogue.errors) == [f"{content_dir}/trauma/{expected}"]
    assert list(catalogue.modules) == ["other"]


def test_non_utf8_file_is_reported_at_its_line(content_dir, write_module):
    folder = write_module()
    (folder / "01-what-trauma-is.md").write_bytes(b"# Title\n\nCaf\xe9 au lait.\n")
    catalogue = load_catalogue(content_dir)
    assert messages(catalogue.problems) == [
        f"{folder}/01-what-trauma-is.md:3: not UTF-8 text (byte 0xe9); save the file as UTF-8"
    ]
    assert catalogue.modules == {}


def test_byte_order_mark_and_windows_line_ends_are_fine(content_dir, write_module):
    folder = write_module()
    text = module_md().replace("\n", "\r\n")
    (folder / "module.md").write_bytes(b"\xef\xbb\xbf" + text.encode())
    catalogue = load_catalogue(content_dir)
    assert catalogue.problems == []
    assert catalogue.modules["trauma"].title == "Trauma-informed peer support"


def test_prerequisite_cycle_is_reported_on_every_module_in_it(content_dir, write_module):
    write_module("a", {"module.md": module_md("prerequisites: [b]\n")})
    write_module("b", {"module.md": module_md("prerequisites: [c]\n")})
    write_module("c", {"module.md": module_md("prerequisites: [a]\n")})
    write_module("d", {"module.md": module_md("prerequisites: [a]\n")})
    catalogue = load_catalogue(content_dir)
    assert messages(catalogue.errors) == [
        f"{content_dir}/a/module.md:9: prerequisite cycle: a -> b -> c -> a",
        f"{content_dir}/b/module.md:9: prerequisite cycle: b -> c -> a -> b",
        f"{content_dir}/c/module.md:9: prerequisite cycle: c -> a -> b -> c",
        f"{content_dir}/d/module.md:9: prerequisite 'a' has errors, so this module is left out",
    ]
    assert catalogue.modules == {}


def test_module_whose_prerequisite_is_broken_is_left_out(content_dir, write_module):
    write_module("basics", {"module.md": module_md("bad_key: 1\n")})
    write_module("advanced", {"module.md": module_md("prerequisites: [basics]\n")})
    write_module("more", {"module.md": module_md("prerequisites: [advanced]\n")})
    write_module("other")
    catalogue = load_catalogue(content_dir)
    assert messages(catalogue.errors) == [
        f"{content_dir}/advanced/module.md:9: prerequisite 'basics' has errors, "
        "so this module is left out",
        f"{content_dir}/basics/module.md:9: unknown key 'bad_key'",
        f"{content_dir}/more/module.md:9: prerequisite 'advanced' has errors, "
        "so this module is left out",
    ]
    assert list(catalogue.modules) == ["other"]


def test_plain_language_warnings_keep_the_module(content_dir, write_module):
    long = " ".join(["word"] * 35) + "."
    write_module(
        files={
            "module.md": module_md() + f"\n{long} Short. Short. Short. Short.\n",
            "01-what-trauma-is.md": f"# Title\n\nShort.\n\n{long}\n",
        }
    )
    catalogue = load_catalogue(content_dir)
    assert messages(catalogue.problems) == [
        f"{content_dir}/trauma/01-what-trauma-is.md:5: warning: sentence of 35 words; "
        "aim for 30 or fewer",
        f"{content_dir}/trauma/module.md:13: warning: sentence of 35 words; aim for 30 or fewer",
    ]
    assert "trauma" in catalogue.modules


def test_missing_content_folder_is_a_problem(tmp_path):
    catalogue = load_catalogue(tmp_path / "nope")
    assert messages(catalogue.problems) == [f"{tmp_path}/nope:1: content folder not found"]


def test_garbage_never_raises(content_dir):
    folder = content_dir / "junk"
    folder.mkdir()
    (folder / "module.md").write_bytes(b"---\n\x00\x01: [\n---\n")
    (folder / "01-x.md").write_text("")
    (folder / "quiz.md").write_text("---\n---\n## \n- (x)\n")
    (folder / "02-dir.md").mkdir()
    (content_dir / "curricula.yml").write_text("paths: {a: [")
    catalogue = load_catalogue(content_dir)
    assert catalogue.modules == {}
    assert catalogue.errors


def test_check_single_module_resolves_prerequisites_against_siblings(content_dir, write_module):
    write_module("basics", {"module.md": module_md("bad_key: 1\n")})
    folder = write_module("trauma", {"module.md": module_md("prerequisites: [basics, ghost]\n")})
    assert messages(check_content(folder)) == [
        f"{folder}/module.md:9: prerequisite 'ghost' is not a module"
    ]
    assert messages(check_content(folder / "quiz.md")) == messages(check_content(folder))


def test_check_content_folder_reports_everything(content_dir, write_module):
    write_module("basics", {"module.md": module_md("bad_key: 1\n")})
    write_module("trauma")
    assert messages(check_content(content_dir)) == [
        f"{content_dir}/basics/module.md:9: unknown key 'bad_key'"
    ]
    assert messages(check_content(content_dir / "missing")) == [
        f"{content_dir}/missing:1: no such file or folder"
    ]


def test_content_stats(content_dir, write_module):
    write_module(
        "trauma", {"02-more.md": "# More\n\n" + "A b c d e f g h i j k l m n o p q r s t.\n"}
    )
    write_module("other", {"quiz.md": None})
    catalogue = load_catalogue(content_dir)
    assert content_stats(catalogue) == [
        {"module": "other", "lessons": 1, "words": 15, "minutes": 1, "questions": 0, "warnings": 0},
        {
            "module": "trauma",
            "lessons": 2,
            "words": 36,
            "minutes": 2,
            "questions": 2,
            "warnings": 1,
        },
    ]


def test_a_chain_of_200_modules_loads_in_prerequisite_order(tmp_path):
    content = tmp_path / "many"
    for i in range(200):
        folder = content / f"m{i:03d}"
        folder.mkdir(parents=True)
        extra = f"prerequisites: [m{i - 1:03d}]\n" if i else ""
        (folder / "module.md").write_text(module_md(extra))
        (folder / "01-one.md").write_text(
            LESSON_MD + "\n- a *list*\n- of [things](https://x.org)\n"
        )
        (folder / "02-two.md").write_text(LESSON_MD + '\n!!! tip "Say this"\n    You are safe.\n')
        (folder / "quiz.md").write_text(QUIZ_MD + "\n## Another *one*\n\n- [x] a\n- [ ] b\n")
    catalogue = load_catalogue(content)  # its start-up time is measured by `make bench`
    assert len(catalogue.modules) == 200
    assert list(catalogue.modules)[:3] == ["m000", "m001", "m002"]


def test_fixture_content_loads_cleanly():
    catalogue = load_catalogue(Path(__file__).parents[1] / "fixtures" / "content")
    assert catalogue.errors == []
