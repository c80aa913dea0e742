"""Every place in ``academy/`` that commits the request's work: ``db.session.commit()``,
found by reading the code (``ast``), with the function it is in."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
APP_ROOT = PROJECT_ROOT / "academy"


@dataclass(frozen=True, order=True)
class CommitSite:
    path: str  # relative to the project root
    line: int
    function: str  # "academy.modules.courses.views:mark_studied"

    @property
    def key(self) -> str:
        """How the pytest plugin is told which commit to skip."""
        return f"{self.path}:{self.line}"


def is_session_commit(node: ast.AST) -> bool:
    """``db.session.commit()``, the one way the app commits."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "commit"
        and ast.unparse(node.func.value) == "db.session"
    )


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts)


def sites_in(path: Path) -> list[CommitSite]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    relative = path.relative_to(PROJECT_ROOT).as_posix()
    found: list[CommitSite] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) and not function:
                inner = child.name  # the top-level function: the view, hook or command
            if is_session_commit(child):
                found.append(CommitSite(relative, child.lineno, f"{module_name(path)}:{inner}"))
            visit(child, inner)

    visit(tree, "")
    return found


def find_commit_sites(root: Path = APP_ROOT) -> list[CommitSite]:
    return sorted(site for path in root.rglob("*.py") for site in sites_in(path))
