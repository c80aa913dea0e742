"""``curricula.yml``: certificate paths that group modules (format in docs/authoring.md).

The YAML is walked as nodes, not as plain data, so that every problem carries the line
of the key or list item it is about. A path with a problem is left out; the others load.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from academy.core.content.files import DEFAULT_MAX_BYTES, read_text
from academy.core.content.frontmatter import SLUG, Loader
from academy.core.content.model import CertificatePath, Criterion, Problem, Scenario

CURRICULA_FILE = "curricula.yml"
TOP_KEYS = {"paths"}
PATH_KEYS = {"slug", "title", "modules", "valid_months", "observed_practice"}
SCENARIO_KEYS = {"id", "title", "setup", "sessions", "criteria"}
SCENARIO_REQUIRED = {"id", "title", "sessions", "criteria"}
CRITERION_KEYS = {"id", "text"}
# Keys of earlier formats, with what replaced them.
REPLACED_KEYS = {"attestations": "observed_practice"}
DEFAULT_VALID_MONTHS = 24
MAX_SESSIONS = 10  # sessions a scenario may require
MAX_CRITERIA = 12  # criteria in one checklist: a trainer must observe them in one session
MAX_TITLE = 200  # a scenario title
MAX_CRITERION = 300  # a criterion's text
MAX_SETUP = 1000


@dataclass
class _Reader:
    """Checks on YAML nodes of one file; every failed check appends a Problem."""

    path: str
    loader: Loader
    problems: list[Problem]
    failed: bool = False

    def error(self, node: yaml.Node, message: str) -> None:
        self.problems.append(Problem(self.path, node.start_mark.line + 1, message))
        self.failed = True

    def value(self, node: yaml.Node) -> Any:
        return self.loader.construct_object(node, deep=True)

    def mapping(
        self, node: yaml.Node, allowed: set[str], required: set[str], what: str
    ) -> dict[str, yaml.Node] | None:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} must be 'key: value' lines")
            return None
        items: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key not in allowed and REPLACED_KEYS.get(key) in allowed:
                replacement = REPLACED_KEYS[key]
                self.error(key_node, f"'{key}' was replaced by '{replacement}' (docs/authoring.md)")
            elif key not in allowed:
                self.error(key_node, f"unknown key '{key}' in {what}")
            elif key in items:
                self.error(key_node, f"duplicate key '{key}' in {what}")
            items[key] = value_node
        for key in sorted(required - items.keys()):
            self.error(node, f"{what} is missing '{key}'")
        return items

    def sequence(self, node: yaml.Node, what: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, f"{what} must be a list")
            return []
        return list(node.value)

    def text(self, node: yaml.Node, what: str, max_length: int | None = None) -> str:
        value = self.value(node)
        if not isinstance(value, str) or not value.strip():
            self.error(node, f"{what} must be non-empty text")
            return ""
        text = " ".join(value.split())  # a folded or wrapped value reads as one line
        if max_length is not None and len(text) > max_length:
            self.error(node, f"{what} has more than {max_length} characters")
        return text

    def slug(self, node: yaml.Node, what: str) -> str:
        value = self.text(node, what)
        if value and not SLUG.fullmatch(value):
            self.error(node, f"{what} '{value}' is not a valid slug (a-z, 0-9 and -)")
        return value

    def number(self, node: yaml.Node, what: str, highest: int) -> int | None:
        """A whole number from 1 to ``highest`` (YAML's true/false and 2.0 are not)."""
        value = self.value(node)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= highest:
            self.error(node, f"'{what}' must be a whole number from 1 to {highest}")
            return None
        return value

    def months(self, node: yaml.Node | None) -> int:
        if node is None:
            return DEFAULT_VALID_MONTHS
        return self.number(node, "valid_months", 120) or DEFAULT_VALID_MONTHS


def load(
    file: Path, folders: set[str], loaded: set[str], max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[dict[str, CertificatePath], list[Problem]]:
    """Paths from ``file`` (optional). ``folders`` are the module folders that exist,
    ``loaded`` the modules without errors; a path needs all its modules loaded."""
    problems: list[Problem] = []
    if not file.is_file():
        return {}, problems
    text = read_text(file, problems, max_bytes)
    if text is None:
        return {}, problems
    loader = Loader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return {}, problems
        reader = _Reader(str(file), loader, problems)
        top = reader.mapping(root, TOP_KEYS, {"paths"}, CURRICULA_FILE)
        if top is None or "paths" not in top:
            return {}, problems
        return _paths(reader, top["paths"], folders, loaded), problems
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problems.append(Problem(str(file), line, f"invalid YAML: {exc.problem or exc.context}"))
    except yaml.YAMLError as exc:
        problems.append(Problem(str(file), 1, f"invalid YAML: {exc}"))
    finally:
        loader.dispose()
    return {}, problems


def _paths(
    reader: _Reader, node: yaml.Node, folders: set[str], loaded: set[str]
) -> dict[str, CertificatePath]:
    paths: dict[str, CertificatePath] = {}
    seen: set[str] = set()
    for item in reader.sequence(node, "'paths'"):
        reader.failed = False
        path = _path(reader, item, folders, loaded)
        if path is None:
            continue
        if path.slug in seen:
            reader.error(item, f"duplicate path slug '{path.slug}'")
        seen.add(path.slug)
        if not reader.failed:
            paths[path.slug] = path
    return paths


def _path(
    reader: _Reader, node: yaml.Node, folders: set[str], loaded: set[str]
) -> CertificatePath | None:
    fields = reader.mapping(node, PATH_KEYS, {"slug", "title", "modules"}, "a path")
    if fields is None or not {"slug", "title", "modules"} <= fields.keys():
        return None
    modules = []
    for module_node in reader.sequence(fields["modules"], "'modules'"):
        slug = reader.text(module_node, "a module slug")
        if slug and slug not in folders:
            reader.error(module_node, f"'{slug}' is not a module")
        elif slug and slug not in loaded:
            reader.error(module_node, f"module '{slug}' has errors, so this path is left out")
        elif slug in modules:
            reader.error(module_node, f"module '{slug}' is listed twice")
        modules.append(slug)
    if not modules:
        reader.error(fields["modules"], "a path needs at least one module")
    return CertificatePath(
        slug=reader.slug(fields["slug"], "path slug"),
        title=reader.text(fields["title"], "path title"),
        modules=tuple(modules),
        valid_months=reader.months(fields.get("valid_months")),
        practice=_scenarios(reader, fields.get("observed_practice")),
    )


def _scenarios(reader: _Reader, node: yaml.Node | None) -> tuple[Scenario, ...]:
    """A path's observed practice: its scenarios, each with a checklist."""
    if node is None:
        return ()
    scenarios: list[Scenario] = []
    items = reader.sequence(node, "'observed_practice'")
    if isinstance(node, yaml.SequenceNode) and not items:
        reader.error(node, "'observed_practice' lists no scenario (leave the key out instead)")
    for item in items:
        scenario = _scenario(reader, item)
        if scenario is None:
            continue
        if any(s.id == scenario.id for s in scenarios):
            reader.error(item, f"duplicate scenario id '{scenario.id}'")
        scenarios.append(scenario)
    return tuple(scenarios)


def _scenario(reader: _Reader, node: yaml.Node) -> Scenario | None:
    fields = reader.mapping(node, SCENARIO_KEYS, SCENARIO_REQUIRED, "a practice scenario")
    if fields is None or not SCENARIO_REQUIRED <= fields.keys():
        return None
    setup = fields.get("setup")
    return Scenario(
        id=reader.slug(fields["id"], "scenario id"),
        title=reader.text(fields["title"], "scenario title", MAX_TITLE),
        sessions=reader.number(fields["sessions"], "sessions", MAX_SESSIONS) or 1,
        criteria=_criteria(reader, fields["criteria"]),
        setup=reader.text(setup, "scenario setup", MAX_SETUP) if setup is not None else "",
    )


def _criteria(reader: _Reader, node: yaml.Node) -> tuple[Criterion, ...]:
    criteria: list[Criterion] = []
    items = reader.sequence(node, "'criteria'")
    if isinstance(node, yaml.SequenceNode) and not items:
        reader.error(node, "a scenario needs at least one criterion")
    if len(items) > MAX_CRITERIA:
        reader.error(node, f"a scenario has at most {MAX_CRITERIA} criteria")
    for item in items:
        fields = reader.mapping(item, CRITERION_KEYS, CRITERION_KEYS, "a criterion")
        if fields is None or not CRITERION_KEYS <= fields.keys():
            continue
        criterion = Criterion(
            id=reader.slug(fields["id"], "criterion id"),
            text=reader.text(fields["text"], "criterion text", MAX_CRITERION),
        )
        if any(c.id == criterion.id for c in criteria):
            reader.error(fields["id"], f"duplicate criterion id '{criterion.id}'")
        criteria.append(criterion)
    return tuple(criteria)
