"""The interface's message catalogues: extraction from the code and the checks that keep
every language complete (docs/translating.md).

``python -m academy.core.catalogues update`` (``make translations``) extracts every marked
string with ``babel.cfg``, writes ``translations/messages.pot``, merges it into each
language's ``messages.po`` and fills English from the source. ``problems`` is what
``tests/core/test_translations.py`` asserts empty: a string missing from a catalogue, one
left over, fuzzy, untranslated, or whose placeholders differ from the source's.
"""

from __future__ import annotations

import copy
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from academy.core.config import PROJECT_ROOT
from academy.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, TRANSLATIONS_DIR

TEMPLATE = TRANSLATIONS_DIR / "messages.pot"
# gettext's defaults, and the lazy forms used where a string is evaluated at import time.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "lazy_gettext": None,
    "_l": None,
    "lazy_ngettext": (1, 2),
}
# %(name)s, %s, %d and {name}: what a translation must keep, neither more nor fewer.
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")


def catalogue_path(language: str) -> Path:
    return TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po"


def extract() -> Catalog:
    """Every marked string in the code and the templates, as ``pybabel extract`` finds it."""
    with (PROJECT_ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    catalog = Catalog(project="Peer Academy", fuzzy=False)
    found = extract_from_dir(
        str(PROJECT_ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def read_catalogue(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_by_file=True, omit_header=False)


def _texts(message: Message) -> list[str]:
    value = message.string
    return [text for text in (value if isinstance(value, tuple) else (value,))]


def _sources(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def problems(language: str, extracted: Catalog) -> Iterator[str]:
    """What is wrong with one language's catalogue against the code, one line each."""
    path = catalogue_path(language)
    if not path.exists():
        yield f"{path}: missing"
        return
    catalogue = read_catalogue(path, language)
    wanted = {message.id for message in extracted if message.id}
    present = {message.id for message in catalogue if message.id}
    for missing in sorted(wanted - present, key=str):
        yield f"{language}: not in the catalogue: {missing!r}"
    for extra in sorted(present - wanted, key=str):
        yield f"{language}: no longer in the code: {extra!r}"
    for message in catalogue:
        if not message.id or message.id not in wanted:
            continue
        if message.fuzzy:
            yield f"{language}: fuzzy: {message.id!r}"
        expected = _placeholders(_sources(message)[0])
        for text in _texts(message):
            if not text.strip():
                yield f"{language}: not translated: {message.id!r}"
            elif _placeholders(text) != expected:
                yield f"{language}: placeholders differ: {message.id!r} -> {text!r}"


def update() -> int:
    """Write the template, merge it into every catalogue, fill English from the source;
    the number of strings."""
    extracted = extract()
    _write(extracted, TEMPLATE)
    for language in LANGUAGES:
        path = catalogue_path(language)
        if path.exists():
            catalogue = read_catalogue(path, language)
        else:
            catalogue = Catalog(locale=language, project="Peer Academy", fuzzy=False)
        # A copy: update() inserts the template's own messages, and filling English below
        # would otherwise fill them in every catalogue merged after it.
        catalogue.update(copy.deepcopy(extracted), no_fuzzy_matching=True)
        catalogue.obsolete.clear()
        if language == DEFAULT_LANGUAGE:
            for message in catalogue:
                if message.id:
                    message.string = message.id
        _write(catalogue, path)
    return sum(1 for message in extracted if message.id)


def main(arguments: list[str]) -> int:
    if arguments != ["update"]:
        print("usage: python -m academy.core.catalogues update", file=sys.stderr)
        return 2
    count = update()
    print(f"{count} strings; catalogues in {TRANSLATIONS_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
