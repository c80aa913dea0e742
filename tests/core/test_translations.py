"""Every interface string is in every catalogue, translated, and the catalogues are up to
date with the code (docs/translating.md): the strings are extracted from the code and the
templates, as `pybabel extract` does with babel.cfg, and compared with messages.pot and
each language's messages.po."""

from __future__ import annotations

import pytest
from babel.messages.mofile import read_mo

from academy.core import catalogues
from academy.core.i18n import LANGUAGES


@pytest.fixture(scope="module")
def extracted():
    return catalogues.extract()


def _ids(catalog) -> set:
    """Message ids; a plural's as a tuple (a compiled catalogue reads it as a list)."""
    return {
        tuple(message.id) if isinstance(message.id, list | tuple) else message.id
        for message in catalog
        if message.id
    }


def test_the_template_holds_exactly_the_strings_in_the_code(extracted):
    template = catalogues.read_catalogue(catalogues.TEMPLATE)
    assert _ids(extracted) == _ids(template), "run `make translations` (docs/translating.md)"


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_catalogue_is_complete_and_up_to_date(extracted, language):
    assert list(catalogues.problems(language, extracted)) == []


def test_a_catalogue_with_a_missing_a_fuzzy_and_a_wrong_string_is_refused(tmp_path, monkeypatch):
    """The check itself, on a catalogue made wrong on purpose."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    code = Catalog(locale="de")
    for text in ("Kept", "Left out", "Hello %(name)s", "Unsure"):
        code.add(text)
    broken = Catalog(locale="de")
    broken.add("Kept", "Behalten")
    broken.add("Hello %(name)s", "Hallo %(nom)s")
    broken.add("Unsure", "Unsicher", flags=["fuzzy"])
    broken.add("Gone from the code", "Weg")
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.po").open("wb") as handle:
        write_po(handle, broken)
    monkeypatch.setattr(catalogues, "TRANSLATIONS_DIR", tmp_path)

    found = list(catalogues.problems("de", code))

    assert found == [
        "de: not in the catalogue: 'Left out'",
        "de: no longer in the code: 'Gone from the code'",
        "de: placeholders differ: 'Hello %(name)s' -> 'Hallo %(nom)s'",
        "de: fuzzy: 'Unsure'",
    ]


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_the_compiled_catalogue_is_built_from_the_current_one(language):
    """`make install` compiles the .po files; a stale .mo would show old wording."""
    po = catalogues.read_catalogue(catalogues.catalogue_path(language), language)
    mo_path = catalogues.catalogue_path(language).with_suffix(".mo")
    assert mo_path.exists(), "run `make install`: it compiles the catalogues"
    with mo_path.open("rb") as handle:
        mo = read_mo(handle)
    assert _ids(mo) == _ids(po), "run `make install`: the compiled catalogue is out of date"
