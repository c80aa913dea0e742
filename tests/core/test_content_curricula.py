"""curricula.yml: certificate paths and their observation checklists, how they load and
every problem with its line."""

from __future__ import annotations

from pathlib import Path

import pytest
from content_builders import module_md

from academy.core.content import load_catalogue

SHIPPED_CONTENT = Path(__file__).resolve().parents[2] / "content"


PATHS = """\
paths:
  - slug: core
    title: Peer advisor — core training
    modules: [trauma, other]
    valid_months: 12
    observed_practice:
      - id: first-meeting
        title: "Role-play: a first meeting"
        sessions: 1
        criteria:
          - id: names-the-limits
            text: Names the limits of confidentiality.
  - slug: short
    title: Short path
    modules: [other]
"""


def test_curricula_are_loaded(content_dir, write_module):
    write_module("trauma")
    write_module("other")
    (content_dir / "curricula.yml").write_text(PATHS)
    catalogue = load_catalogue(content_dir)
    assert catalogue.problems == []
    core = catalogue.paths["core"]
    assert (core.title, core.modules, core.valid_months) == (
        "Peer advisor — core training",
        ("trauma", "other"),
        12,
    )
    assert [(s.id, s.title, s.sessions) for s in core.practice] == [
        ("first-meeting", "Role-play: a first meeting", 1)
    ]
    assert catalogue.paths["short"].valid_months == 24
    assert catalogue.paths["short"].practice == ()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("modules: [other]", "modules: [other, ghost]"), "15: 'ghost' is not a module"),
        (("    title: Short path\n", ""), "13: a path is missing 'title'"),
        (("slug: short", "slug: core"), "13: duplicate path slug 'core'"),
        (("    valid_months: 12", "    valid_month: 12"), "5: unknown key 'valid_month' in a path"),
        (("paths:", "version: 1\npaths:"), "1: unknown key 'version' in curricula.yml"),
        (("modules: [other]", "modules: [other, other]"), "15: module 'other' is listed twice"),
        (
            ("modules: [other]", "modules: [broken]"),
            "15: module 'broken' has errors, so this path is left out",
        ),
        (
            ("id: first-meeting", "id: First Meeting"),
            "7: scenario id 'First Meeting' is not a valid slug (a-z, 0-9 and -)",
        ),
        (
            ("    valid_months: 12", "    valid_months: 0"),
            "5: 'valid_months' must be a whole number from 1 to 120",
        ),
        (("title: Short path", "title: [a"), "15: invalid YAML: did not find expected ',' or ']'"),
    ],
)
def test_curricula_errors_have_lines(content_dir, write_module, change, expected):
    write_module("trauma")
    write_module("other")
    write_module("broken", {"module.md": module_md("oops: 1\n")})
    (content_dir / "curricula.yml").write_text(PATHS.replace(*change))
    catalogue = load_catalogue(content_dir)
    curricula_errors = [p for p in catalogue.errors if p.path.endswith("curricula.yml")]
    assert [str(p) for p in curricula_errors] == [f"{content_dir}/curricula.yml:{expected}"]


def test_broken_path_is_left_out_and_others_stay(content_dir, write_module):
    write_module("trauma")
    write_module("other")
    (content_dir / "curricula.yml").write_text(PATHS.replace("[trauma, other]", "[ghost]"))
    assert list(load_catalogue(content_dir).paths) == ["short"]


CURRICULA = """\
paths:
  - slug: core
    title: Core
    modules: [trauma]
    observed_practice:
      - id: crisis
        title: "Role-play: a client speaks of not wanting to live"
        setup: >
          You play a client
          on a walk.
        sessions: 2
        criteria:
          - id: no-story-questions
            text: Asks no questions about the story.
          - id: crisis-rule
            text: Hands over by the centre's crisis rule.
      - id: first-meeting
        title: "Role-play: a first meeting"
        sessions: 1
        criteria:
          - id: names-the-limits
            text: Names the limits of confidentiality.
"""
LAST_CRITERIA = CURRICULA[CURRICULA.rindex("        criteria:") :]


@pytest.fixture
def load(content_dir, write_module):
    write_module("trauma")

    def load_with(change: tuple[str, str] = ("", "")):
        (content_dir / "curricula.yml").write_text(CURRICULA.replace(*change))
        catalogue = load_catalogue(content_dir)
        prefix = f"{content_dir}/curricula.yml:"
        errors = [f"{p.line}: {p.message}" for p in catalogue.errors if p.path == prefix[:-1]]
        return catalogue, errors

    return load_with


def test_scenarios_load_with_their_criteria_in_order(load):
    catalogue, errors = load()
    assert errors == []
    crisis, first = catalogue.paths["core"].practice
    assert (crisis.id, crisis.title, crisis.sessions) == (
        "crisis",
        "Role-play: a client speaks of not wanting to live",
        2,
    )
    assert crisis.setup == "You play a client on a walk."
    assert [(c.id, c.text) for c in crisis.criteria] == [
        ("no-story-questions", "Asks no questions about the story."),
        ("crisis-rule", "Hands over by the centre's crisis rule."),
    ]
    assert (first.setup, first.criterion("names-the-limits").text) == (
        "",
        "Names the limits of confidentiality.",
    )
    assert catalogue.paths["core"].scenario("first-meeting") is first
    assert catalogue.paths["core"].scenario("nope") is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("        sessions: 1\n", "        session: 1\n"),
            "19: unknown key 'session' in a practice scenario",
        ),
        (("        sessions: 1\n", ""), "17: a practice scenario is missing 'sessions'"),
        (
            ('        title: "Role-play: a first meeting"\n', ""),
            "17: a practice scenario is missing 'title'",
        ),
        (
            ('title: "Role-play: a first meeting"', "title: ''"),
            "18: scenario title must be non-empty text",
        ),
        (
            ('title: "Role-play: a first meeting"', f"title: {'x' * 201}"),
            "18: scenario title has more than 200 characters",
        ),
        (("sessions: 2", "sessions: 0"), "11: 'sessions' must be a whole number from 1 to 10"),
        (("sessions: 2", "sessions: 11"), "11: 'sessions' must be a whole number from 1 to 10"),
        (("sessions: 2", "sessions: two"), "11: 'sessions' must be a whole number from 1 to 10"),
        (("sessions: 2", "sessions: 1.5"), "11: 'sessions' must be a whole number from 1 to 10"),
        (("sessions: 2", "sessions: true"), "11: 'sessions' must be a whole number from 1 to 10"),
        (("id: first-meeting", "id: crisis"), "17: duplicate scenario id 'crisis'"),
        (
            ("id: first-meeting", "id: First meeting"),
            "17: scenario id 'First meeting' is not a valid slug (a-z, 0-9 and -)",
        ),
        (
            ("id: crisis-rule", "id: no-story-questions"),
            "15: duplicate criterion id 'no-story-questions'",
        ),
        (
            ("id: crisis-rule", "id: Rule!"),
            "15: criterion id 'Rule!' is not a valid slug (a-z, 0-9 and -)",
        ),
        (
            ("text: Hands over by the centre's crisis rule.", "text: ''"),
            "16: criterion text must be non-empty text",
        ),
        (
            ("text: Hands over by the centre's crisis rule.", "txt: x"),
            "16: unknown key 'txt' in a criterion",
        ),
        (
            ("          - id: crisis-rule\n", "          - ident: crisis-rule\n"),
            "15: unknown key 'ident' in a criterion",
        ),
        (
            ("            text: Names the limits of confidentiality.\n", ""),
            "21: a criterion is missing 'text'",
        ),
        ((LAST_CRITERIA, "        criteria: []\n"), "20: a scenario needs at least one criterion"),
        ((LAST_CRITERIA, "        criteria: none\n"), "20: 'criteria' must be a list"),
        (
            ("    observed_practice:\n", "    observed_practice: []\n    unused:\n"),
            "5: 'observed_practice' lists no scenario (leave the key out instead)",
        ),
        (
            ("    observed_practice:\n", "    attestations:\n"),
            "5: 'attestations' was replaced by 'observed_practice' (docs/authoring.md)",
        ),
        (
            ("      - id: first-meeting\n", "      - just a title\n      - id: first-meeting\n"),
            "17: a practice scenario must be 'key: value' lines",
        ),
    ],
)
def test_checklist_problems_name_their_line(load, change, expected):
    catalogue, errors = load(change)
    assert expected in errors
    assert "core" not in catalogue.paths  # a path with a problem is left out


def test_a_checklist_has_at_most_twelve_criteria(load):
    many = "".join(f"          - id: c{n}\n            text: Criterion {n}.\n" for n in range(13))
    _, errors = load(("        criteria:\n", f"        criteria:\n{many}"))
    assert "13: a scenario has at most 12 criteria" in errors


def test_the_shipped_checklists_are_observable_and_disclose_nothing():
    """The core path observes the four scenarios of the curriculum (a client in crisis, a
    first meeting, a boundary request, a data-protection slip); each scenario has 4 to 6
    criteria, and no title names the people the programme serves (titles reach pages that
    third parties may see)."""
    catalogue = load_catalogue(SHIPPED_CONTENT)
    core = {s.id for s in catalogue.paths["peer-advisor-core"].practice}
    assert {
        "thoughts-of-ending-life",
        "first-meeting",
        "boundary-request",
        "data-protection-slip",
    } <= core
    scenarios = [s for path in catalogue.paths.values() for s in path.practice]
    for scenario in scenarios:
        assert 4 <= len(scenario.criteria) <= 6, scenario.id
        words = scenario.title.lower()
        for disclosing in ("traffick", "victim", "survivor", "exploit", "prostitut", "sex work"):
            assert disclosing not in words, scenario.title
