"""The front matter every translated file starts with: the source it was made from, and
whether a person has checked it (docs/authoring.md, "Translations")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from academy.core.content import frontmatter
from academy.core.content.model import Problem, Translation

TRANSLATION_KEYS = ("source_sha256", "reviewed")
HASH_COMMAND = "academy content translation-hash"
_SHA256 = re.compile(r"[0-9a-f]{64}")


def read_header(
    fm: frontmatter.FrontMatter,
    problems: list[Problem],
    allowed: Sequence[str],
    source_digest: str | None,
    source_language: str,
) -> Translation | None:
    """What a translation's front matter says about it; a stale one adds a warning."""
    if not fm.present:
        message = (
            "a translation starts with front matter: source_sha256 and reviewed "
            "(docs/authoring.md, Translations)"
        )
        problems.append(Problem(fm.path, 1, message))
        return None
    if not fm.valid:
        return None
    for key in fm.data:
        if key not in allowed:
            message = (
                f"'{key}' is not part of a translation, which takes only {', '.join(allowed)}; "
                "everything else comes from the source file"
            )
            problems.append(Problem(fm.path, fm.line_of(key), message))
    fields = frontmatter.Fields(fm, problems)
    recorded = fm.data.get("source_sha256")
    reviewed = fields.boolean("reviewed", default=False)
    if "reviewed" not in fm.data:
        fields.missing("reviewed")
    if recorded is None:
        fields.missing("source_sha256")
        return None
    if not isinstance(recorded, str) or not _SHA256.fullmatch(recorded):
        message = (
            "'source_sha256' must be the 64 lowercase hex digits of the source file's "
            f"SHA-256 (`{HASH_COMMAND} {fm.path}`)"
        )
        fields.error("source_sha256", message)
        return None
    stale = source_digest is not None and recorded != source_digest
    if stale:
        message = (
            "stale translation: the source file has changed since it was translated; "
            "update the translation, then its source_sha256 to "
            f"{source_digest} (`{HASH_COMMAND} {fm.path}`)"
        )
        problems.append(Problem(fm.path, fm.line_of("source_sha256"), message, "warning"))
    return Translation(
        path=fm.path,
        source_sha256=recorded,
        reviewed=bool(reviewed),
        stale=stale,
        source_language=source_language,
    )
