"""The dependency rules of academy/, checked by reading the code (``ast``).

``academy/modules/__init__.py`` records the features in dependency order and what each
may use. A feature (or core) must not reach a feature it may not use: not by importing
it, not by reading its tables by name (``text("... FROM centres")``, ``Table("centres")``,
``ForeignKey("centres.id")``) and not by naming its endpoints (``url_for("centres.mine")``,
``"centres.mine" in app.view_functions``). No feature imports another's views. Importing
a module registers nothing: hooks, signal receivers and settings of shared objects are
made in a feature's ``init_app``. The second half shows that each rule catches a new
violation, on small made-up packages.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import academy
from academy.modules import FEATURES

ACADEMY = Path(academy.__file__).parent
APP = "the app (create_app, academy.cli, academy.modules)"
# Calls that change something outside the module: allowed inside init_app, not at import.
GLOBAL_HOOKS = {
    "connect",
    "user_loader",
    "request_loader",
    "before_app_request",
    "after_app_request",
    "teardown_app_request",
    "app_context_processor",
    "app_template_filter",
    "app_template_global",
    "app_errorhandler",
    "record",
    "record_once",
    "register_blueprint",
    "add_command",
}
SQL_TABLE = re.compile(r"\b(?:from|join|into|update|table)\s+[\"'`]?(\w+)", re.IGNORECASE)
QUALIFIED = re.compile(r"^(\w+)\.(\w+)$")  # an endpoint, or a table's column

# Reviewed exceptions: (file under academy/, the string) -> why it is allowed.
EXCEPTIONS = {
    ("modules/accounts/models.py", "centres.id"): (
        "a database fact, not a read: deleting a centre deletes its invitations "
        "(ON DELETE CASCADE); accounts learns about centres only from the centre directory"
    ),
}


@dataclass
class Layout:
    """Who owns which blueprint and table, read from the code."""

    features: set[str]
    blueprints: dict[str, str] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)


def owner_of_file(relative: Path) -> str | None:
    """ "core", a feature's name, or None for the app level (which may use everything)."""
    if relative.parts[0] == "core":
        return "core"
    if relative.parts[0] == "modules" and len(relative.parts) > 2:
        return relative.parts[1]
    return None


def owner_of_module(name: str, layout: Layout) -> str | None:
    """Who owns an imported module: core, a feature, the app; None outside academy."""
    parts = name.split(".")
    if parts[0] != "academy":
        return None
    if len(parts) > 1 and parts[1] == "core":
        return "core"
    if len(parts) > 2 and parts[1] == "modules" and parts[2] in layout.features:
        return parts[2]
    return APP


def read_layout(root: Path) -> Layout:
    layout = Layout(features={p.name for p in (root / "modules").iterdir() if p.is_dir()})
    layout.features.discard("__pycache__")
    for path in sorted(root.rglob("*.py")):
        owner = owner_of_file(path.relative_to(root))
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and node.args and _is_str(node.args[0]):
                callee = node.func.attr if isinstance(node.func, ast.Attribute) else None
                callee = node.func.id if isinstance(node.func, ast.Name) else callee
                if callee == "Blueprint":
                    layout.blueprints[node.args[0].value] = owner
                elif callee == "Table" and len(node.args) > 2:  # with its columns
                    layout.tables[node.args[0].value] = owner
            elif isinstance(node, ast.Assign) and _is_str(node.value):
                if any(getattr(t, "id", None) == "__tablename__" for t in node.targets):
                    layout.tables[node.value.value] = owner
    return layout


def _is_str(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def imported_modules(node: ast.AST, relative: Path) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if not isinstance(node, ast.ImportFrom):
        return []
    base = node.module or ""
    if node.level:  # relative: from the file's package, up level - 1
        package = ["academy", *relative.parts[:-1]]
        package = package[: len(package) - node.level + 1]
        base = ".".join([*package, *([base] if base else [])])
    return [f"{base}.{alias.name}" for alias in node.names]


def docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            if node.body and isinstance(node.body[0], ast.Expr) and _is_str(node.body[0].value):
                found.add(id(node.body[0].value))
    return found


def table_lookups(tree: ast.Module) -> set[int]:
    """Strings used as a table's name: ``tables["x"]`` and ``Table("x", ...)``."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and _is_str(node.slice):
            found.add(id(node.slice))
        elif isinstance(node, ast.Call) and node.args and _is_str(node.args[0]):
            if getattr(node.func, "id", getattr(node.func, "attr", None)) == "Table":
                found.add(id(node.args[0]))
    return found


def import_time_hooks(tree: ast.Module) -> list[tuple[int, str]]:
    """Statements at module level that change state outside the module."""
    found = []
    for statement in tree.body:
        calls = [statement.value] if isinstance(statement, ast.Expr) else []
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            calls = statement.decorator_list
        for call in calls:
            target = call.func if isinstance(call, ast.Call) else call
            if isinstance(target, ast.Attribute) and target.attr in GLOBAL_HOOKS:
                found.append((statement.lineno, f"calls .{target.attr} at import"))
        if isinstance(statement, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = getattr(statement, "targets", None) or [statement.target]
            for target in targets:
                if isinstance(target, ast.Attribute):
                    found.append((statement.lineno, f"sets {ast.unparse(target)} at import"))
    return found


def violations(root: Path, features: dict[str, tuple[str, ...]]) -> list[str]:
    """Every breach of the rules in the package at ``root``, as "file:line: what"."""
    layout = read_layout(root)
    found = [f"modules/{name}: not listed in FEATURES" for name in layout.features - set(features)]
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        owner = owner_of_file(relative)
        tree = ast.parse(path.read_text())
        found += [f"{relative}:{line}: {what}" for line, what in import_time_hooks(tree)]
        if owner is None:
            continue
        allowed = {owner, "core"} | set(features.get(owner, ()))
        for line, what in _reaches(tree, relative, layout, allowed):
            found.append(f"{relative}:{line}: {owner} {what}")
    return found


def _reaches(tree: ast.Module, relative: Path, layout: Layout, allowed: set[str]):
    owner = owner_of_file(relative)
    skip, lookups = docstrings(tree), table_lookups(tree)
    for node in ast.walk(tree):
        for module in imported_modules(node, relative):
            target = owner_of_module(module, layout)
            if target is not None and target not in allowed:
                yield node.lineno, f"imports {module} ({target} is not below it)"
            elif target not in (None, owner, "core") and re.search(r"\.(\w+_)?views(\.|$)", module):
                yield node.lineno, f"imports another feature's views: {module}"
        if not _is_str(node) or id(node) in skip:
            continue
        text = node.value
        if EXCEPTIONS.get((relative.as_posix(), text)):
            continue
        yield from _names_another_feature(node.lineno, text, id(node) in lookups, layout, allowed)


def _names_another_feature(line: int, text: str, is_lookup: bool, layout: Layout, allowed):
    """An endpoint or a table's column ("centres.mine", "centres.id"), a table in SQL or
    looked up by name."""
    qualified = QUALIFIED.match(text)
    if qualified:
        first = qualified[1]
        feature = layout.blueprints.get(first) or layout.tables.get(first)
        if feature is not None and feature not in allowed:
            yield line, f"names {text!r} of {feature} (its endpoint or its table's column)"
        return
    names = set(SQL_TABLE.findall(text)) | ({text} if is_lookup else set())
    for name in sorted(names):
        if layout.tables.get(name, "core") not in allowed:
            yield line, f"reads table {name!r} of {layout.tables[name]}: {text!r}"


def test_features_are_listed_in_dependency_order():
    names = list(FEATURES)
    for position, (feature, uses) in enumerate(FEATURES.items()):
        assert set(uses) <= set(names[:position]), f"{feature} may use a feature listed after it"


def test_academy_keeps_its_dependency_rules():
    assert violations(ACADEMY, FEATURES) == []


def test_every_reviewed_exception_is_still_needed():
    for (file, text), _why in EXCEPTIONS.items():
        assert repr(text) in (ACADEMY / file).read_text().replace('"', "'"), file


# --- the rules catch new violations ---------------------------------------------------------

LOW = "from flask import Blueprint\nbp = Blueprint('low', __name__)\n"
HIGH = (
    "from flask import Blueprint\nbp = Blueprint('high', __name__)\n"
    "class Thing:\n    __tablename__ = 'high_things'\n"
)
FAKE_FEATURES = {"low": (), "high": ("low",)}


def fake_academy(tmp_path: Path, file: str, source: str) -> Path:
    root = tmp_path / "academy"
    for package in ("core", "modules/low", "modules/high"):
        (root / package).mkdir(parents=True)
        (root / package / "__init__.py").write_text("")
    (root / "modules/low/views.py").write_text(LOW)
    (root / "modules/high/models.py").write_text(HIGH)
    (root / file).write_text(source)
    return root


@pytest.mark.parametrize(
    ("file", "source", "expected"),
    [
        ("modules/low/a.py", "from academy.modules.high import services", "imports academy"),
        ("modules/low/a.py", "import academy.modules.high.models", "imports academy"),
        ("modules/low/a.py", "from ..high import models", "imports academy.modules.high"),
        ("modules/low/a.py", "from academy import create_app", "imports academy.create_app"),
        ("core/a.py", "from academy.modules.low import services", "imports academy"),
        ("modules/high/a.py", "from academy.modules.low.views import bp", "views"),
        ("modules/low/a.py", "q = text('SELECT id FROM high_things')", "reads table"),
        ("modules/low/a.py", "t = db.metadata.tables['high_things']", "reads table"),
        ("modules/low/a.py", "t = Table('high_things', metadata)", "reads table"),
        ("modules/low/a.py", "f = ForeignKey('high_things.id')", "names 'high_things.id'"),
        ("modules/low/a.py", "u = url_for('high.page')", "names 'high.page' of high"),
        ("modules/low/a.py", "ok = 'high.page' in app.view_functions", "names 'high.page'"),
        ("core/a.py", "u = url_for('low.sign_in')", "names 'low.sign_in' of low"),
        ("modules/low/a.py", "login_manager.login_view = 'x'", "sets login_manager.login_view"),
        ("modules/low/a.py", "signal.connect(receiver)", "calls .connect at import"),
        ("modules/low/a.py", "@bp.app_context_processor\ndef f(): ...", "app_context_processor"),
        ("modules/low/a.py", "bp.before_app_request(hook)", "before_app_request"),
        ("modules/extra/__init__.py", "", "modules/extra: not listed in FEATURES"),
    ],
)
def test_a_new_violation_fails(tmp_path, file, source, expected):
    if file.startswith("modules/extra"):
        (tmp_path / "academy/modules/extra").mkdir(parents=True, exist_ok=True)
    root = fake_academy(tmp_path, file, source)

    found = violations(root, FAKE_FEATURES)

    assert len(found) == 1 and expected in found[0], found


@pytest.mark.parametrize(
    ("file", "source"),
    [
        ("modules/high/a.py", "from academy.modules.low import services"),
        ("modules/high/a.py", "q = text('SELECT 1 FROM high_things')\nu = url_for('low.x')"),
        ("modules/low/a.py", "def init_app(app):\n    signal.connect(receiver)"),
        ("modules/low/a.py", '"""Never text("SELECT * FROM high_things") in a docstring."""'),
        ("core/a.py", "from academy.core import support"),
        ("modules/low/a.py", "KEYS = {'high_things', 'title'}  # a word, not a lookup"),
    ],
)
def test_what_the_rules_allow(tmp_path, file, source):
    assert violations(fake_academy(tmp_path, file, source), FAKE_FEATURES) == []
