"""The certificate rules know nothing of the features built on them: signed credentials
and the trainer's workspace import certificates, never the other way round."""

from __future__ import annotations

import ast
from pathlib import Path

import academy.modules.certificates

CERTIFICATES = Path(academy.modules.certificates.__file__).parent
BUILT_ON_CERTIFICATES = ("academy.modules.credentials", "academy.modules.trainer")


def imported_modules(source: Path) -> set[str]:
    """Every module the file imports, relative imports resolved (``from .. import x``)."""
    package = ["academy", "modules", "certificates", *source.relative_to(CERTIFICATES).parts[:-1]]
    names = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def test_certificates_import_neither_credentials_nor_the_trainer_workspace():
    sources = sorted(CERTIFICATES.rglob("*.py"))
    assert len(sources) > 5  # the walk found the feature
    upward = {
        f"{source.relative_to(CERTIFICATES)}: {name}"
        for source in sources
        for name in imported_modules(source)
        if name.startswith(BUILT_ON_CERTIFICATES)
    }
    assert not upward
