"""YAML front matter between ``---`` lines, with the file line of every key and value.

Validation helpers take a :class:`FrontMatter` and a list to append problems to, so
each check reports at the line of the key (or list item) it is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from academy.core.content.model import Problem

FENCE = "---"
# The libyaml-based loader is several times faster and reports the same line marks.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")


@dataclass
class FrontMatter:
    path: str
    data: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    value_nodes: dict[str, yaml.Node] = field(default_factory=dict)
    line: int = 1  # file line of the opening "---"; missing keys are reported here
    yaml_line: int = 2  # file line of the first YAML line
    body: str = ""
    body_line: int = 1  # file line where the body starts
    present: bool = False
    valid: bool = False  # present and parsed as a mapping; only then are keys checked

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def node_line(self, node: yaml.Node) -> int:
        return self.yaml_line + node.start_mark.line


def split(path: str, text: str, problems: list[Problem]) -> FrontMatter:
    """Separate front matter from body and parse it; problems are appended."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        return FrontMatter(path=path, body=text)
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (FENCE, "...")), None)
    if end is None:
        problems.append(Problem(path, 1, "front matter is not closed with a '---' line"))
        return FrontMatter(path=path, body="", body_line=len(lines) + 1, present=True)
    fm = FrontMatter(
        path=path,
        body="\n".join(lines[end + 1 :]),
        body_line=end + 2,
        present=True,
    )
    _parse_yaml(fm, "\n".join(lines[1:end]), problems)
    return fm


def _parse_yaml(fm: FrontMatter, source: str, problems: list[Problem]) -> None:
    try:
        loader = Loader(source)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = fm.yaml_line + mark.line if mark else fm.line
        problems.append(Problem(fm.path, line, f"invalid YAML: {exc.problem or exc.context}"))
        return
    except yaml.YAMLError as exc:  # e.g. unacceptable control characters, without a mark
        problems.append(Problem(fm.path, fm.line, f"invalid YAML: {exc}"))
        return
    if data is None:
        fm.valid = True
        return
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        problems.append(Problem(fm.path, fm.yaml_line, "front matter must be 'key: value' lines"))
        return
    fm.valid = True
    for key_node, value_node in node.value:
        key = str(key_node.value)
        line = fm.node_line(key_node)
        if key in fm.key_lines:
            problems.append(Problem(fm.path, line, f"duplicate key '{key}'"))
        fm.key_lines[key] = line
        fm.value_nodes[key] = value_node
    fm.data = {str(k): v for k, v in data.items()}


class Fields:
    """Typed access to front-matter values; every failed check becomes a Problem."""

    def __init__(self, fm: FrontMatter, problems: list[Problem]) -> None:
        self.fm = fm
        self.problems = problems

    def error(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.fm.path, self.fm.line_of(key), message))

    def unknown_keys(self, allowed: set[str]) -> None:
        for key in self.fm.data:
            if key not in allowed:
                self.error(key, f"unknown key '{key}'")

    def missing(self, key: str) -> None:
        self.error(key, f"missing required key '{key}'")

    def text(self, key: str, *, required: bool) -> str | None:
        value = self.fm.data.get(key)
        if value is None:
            if required:
                self.missing(key)
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(key, f"'{key}' must be non-empty text")
            return None
        return value.strip()

    def integer(self, key: str, low: int, high: int, *, default: int | None = None) -> int | None:
        if self.fm.data.get(key) is None:
            if default is None:
                self.missing(key)
            return default
        value = self.fm.data[key]
        # bool is an int subclass, but "minutes: yes" is a mistake, not 1.
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.error(key, f"'{key}' must be a whole number from {low} to {high}")
            return None
        return value

    def boolean(self, key: str, *, default: bool) -> bool | None:
        value = self.fm.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.error(key, f"'{key}' must be true or false")
            return None
        return value

    def scalar_as_text(self, key: str) -> str | None:
        """A required scalar taken exactly as written, so `version: 1.10` stays "1.10"."""
        if self.fm.data.get(key) is None:
            self.missing(key)
            return None
        node = self.fm.value_nodes[key]
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            self.error(key, f"'{key}' must be text such as \"1.0\"")
            return None
        return str(node.value).strip()

    def text_list(
        self, key: str, *, low: int, high: int, required: bool, pattern: re.Pattern[str] | None
    ) -> tuple[str, ...] | None:
        if self.fm.data.get(key) is None:
            if required:
                self.missing(key)
                return None
            return ()
        value = self.fm.data[key]
        if not isinstance(value, list) or not low <= len(value) <= high:
            self.error(key, f"'{key}' must be a list of {low} to {high} items")
            return None
        items = []
        node = self.fm.value_nodes[key]
        for item, item_node in zip(value, node.value, strict=True):
            line = self.fm.node_line(item_node)
            if not isinstance(item, str) or not item.strip():
                self.problems.append(Problem(self.fm.path, line, f"'{key}' items must be text"))
                return None
            if pattern is not None and not pattern.fullmatch(item.strip()):
                message = f"'{item}' in '{key}' is not a valid slug (a-z, 0-9 and -)"
                self.problems.append(Problem(self.fm.path, line, message))
                return None
            items.append(item.strip())
        return tuple(items)
