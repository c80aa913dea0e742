"""Web fonts: WOFF2 subsets of the PDF's fonts, one per script, for pages on a phone that
lacks a font for that script (docs/accessibility.md, "Scripts and fonts").

Latin, Greek and Cyrillic are drawn with the phone's own fonts, which all have them, and cost
nothing. Every other script the PDF supports gets ``@font-face`` rules in
``static/css/fonts.css`` under one family, "Academy Scripts", whose ``unicode-range`` is the
script's characters: a browser downloads a file only for a page that has characters of its
script, and a page in Latin letters downloads no font at all. The family comes first in the
page's font stack, because Chromium draws a character ``system-ui`` lacks as an empty box
instead of trying the next family; each rule names the installed font first (``local()``),
so a phone that has the same Noto font uses its own and downloads nothing.

``make fonts`` writes the WOFF2 files into ``static/fonts/web/`` (not in Git; about a minute
on one core; ``make install`` runs it) and rewrites ``fonts.css``, which is in Git, so a
change of a source font or of the script ranges below shows as a diff. The same fonts give
byte for byte the same files. The tests check both against the source fonts' coverage.

Chinese, Japanese and Korean come from one 4.6 MB font; it is cut into slices of
consecutive code points, so a page with a three-character name fetches up to three slices,
not the whole font.
"""

from __future__ import annotations

import argparse
import functools
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from academy.core.config import PROJECT_ROOT

SOURCE_DIR = PROJECT_ROOT / "static" / "fonts"
WEB_DIR = SOURCE_DIR / "web"
CSS_FILE = PROJECT_ROOT / "static" / "css" / "fonts.css"
FAMILY = "Academy Scripts"
CJK_SLICE = 700  # code points per slice: about 100 KB of WOFF2, a few dozen rules in the CSS

Ranges = tuple[tuple[int, int], ...]

# Kept in a file for shaping but claimed by none (no page fetches a font for them): the
# joiners ZWNJ and ZWJ in Arabic and Indic words, and the dotted circle a shaping engine
# draws a lone vowel sign on.
SHAPING: Ranges = ((0x200C, 0x200D), (0x25CC, 0x25CC))


@dataclass(frozen=True)
class Script:
    """A script and the source font files that draw it."""

    name: str
    sources: tuple[tuple[int, str], ...]  # (CSS font-weight, file in static/fonts)
    ranges: Ranges  # what unicode-range claims: a page with these characters fetches the file
    extra: Ranges = ()  # also kept in the file, for shaping, but not claimed
    slice_size: int | None = None  # a large font is cut into files of this many characters

    def kept(self) -> Ranges:
        return self.ranges + self.extra


SCRIPTS = (
    Script(
        "arabic",  # Arabic, Persian/Dari, Pashto, Urdu, Sorani Kurdish
        ((400, "NotoNaskhArabic-Regular.ttf"), (700, "NotoNaskhArabic-Bold.ttf")),
        ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF))
        + ((0xFE70, 0xFEFC),),  # not U+FEFF, the byte order mark any text may hold
        SHAPING,
    ),
    Script(
        "hebrew",
        ((400, "NotoSansHebrew-Regular.ttf"), (700, "NotoSansHebrew-Bold.ttf")),
        ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
        SHAPING,
    ),
    Script(
        "ethiopic",  # Tigrinya, Amharic, Tigre
        ((400, "NotoSansEthiopic-Regular.ttf"), (700, "NotoSansEthiopic-Bold.ttf")),
        ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F), (0x1E7E0, 0x1E7FF)),
        SHAPING,
    ),
    Script(
        "devanagari",  # Hindi, Marathi, Nepali
        ((400, "NotoSansDevanagari-Regular.ttf"), (700, "NotoSansDevanagari-Bold.ttf")),
        ((0x0900, 0x097F), (0x1CD0, 0x1CFF), (0xA8E0, 0xA8FF)),
        SHAPING,
    ),
    Script(
        "bengali",
        ((400, "NotoSansBengali-Regular.ttf"), (700, "NotoSansBengali-Bold.ttf")),
        ((0x0980, 0x09FF),),
        SHAPING,
    ),
    Script(
        "tamil",
        ((400, "NotoSansTamil-Regular.ttf"), (700, "NotoSansTamil-Bold.ttf")),
        ((0x0B80, 0x0BFF), (0x11FC0, 0x11FFF)),
        SHAPING,
    ),
    Script(
        "thai",
        ((400, "NotoSansThai-Regular.ttf"), (700, "NotoSansThai-Bold.ttf")),
        ((0x0E00, 0x0E7F),),
        SHAPING,
    ),
    Script(
        "armenian",
        ((400, "DejaVuSans.ttf"), (700, "DejaVuSans-Bold.ttf")),
        ((0x0530, 0x058F), (0xFB13, 0xFB17)),
    ),
    Script(
        "georgian",
        ((400, "DejaVuSans.ttf"), (700, "DejaVuSans-Bold.ttf")),
        ((0x10A0, 0x10FF), (0x1C90, 0x1CBF), (0x2D00, 0x2D2F)),
    ),
    Script(
        "cjk",  # Chinese, Japanese kana and kanji, Korean hangul; regular only
        ((400, "WenQuanYiMicroHei.ttf"),),
        ((0x1100, 0x11FF), (0x3000, 0x33FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF))
        + ((0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF)),
        slice_size=CJK_SLICE,
    ),
)


@dataclass(frozen=True)
class WebFontFile:
    """One WOFF2 file: the characters it draws and the CSS that points to it."""

    filename: str
    source: str
    weights: tuple[int, int]  # the CSS font-weight range it serves
    claimed: frozenset[int]  # its unicode-range
    kept: frozenset[int]  # its cmap: the claimed characters and the shaping extras


@functools.cache
def source_coverage(filename: str) -> frozenset[int]:
    font = TTFont(SOURCE_DIR / filename, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


def _within(ranges: Ranges, coverage: frozenset[int]) -> frozenset[int]:
    return frozenset(cp for low, high in ranges for cp in range(low, high + 1) if cp in coverage)


def _slices(code_points: frozenset[int], size: int) -> Iterator[frozenset[int]]:
    ordered = sorted(code_points)
    for start in range(0, len(ordered), size):
        yield frozenset(ordered[start : start + size])


@functools.cache
def web_font_files() -> tuple[WebFontFile, ...]:
    """Every file ``make fonts`` writes, in the order of the rules in fonts.css."""
    files: list[WebFontFile] = []
    for script in SCRIPTS:
        for weight, source in script.sources:
            # a script with one weight only (CJK): bold text uses it too, made bold by the browser
            weights = (weight, weight) if len(script.sources) > 1 else (100, 900)
            coverage = source_coverage(source)
            claimed = _within(script.ranges, coverage)
            extras = _within(script.kept(), coverage) - claimed
            if script.slice_size:
                for number, part in enumerate(_slices(claimed, script.slice_size)):
                    name = f"{script.name}-{number:02d}.woff2"
                    files.append(WebFontFile(name, source, weights, part, part | extras))
            else:
                name = f"{script.name}-{weight}.woff2"
                files.append(WebFontFile(name, source, weights, claimed, claimed | extras))
    return tuple(files)


def files_needed(text: str, weights: Iterable[int] = (400, 700)) -> list[WebFontFile]:
    """The web font files a page with this text may download: those whose unicode-range
    has one of its characters, in the weights it uses (a browser fetches no other)."""
    characters = {ord(ch) for ch in text}
    return [
        file
        for file in web_font_files()
        if any(file.weights[0] <= weight <= file.weights[1] for weight in weights)
        and file.claimed & characters
    ]


def unicode_range(code_points: Iterable[int]) -> str:
    """``U+0600-06FF, U+0750-077F``: consecutive code points joined into ranges."""
    spans: list[list[int]] = []
    for cp in sorted(code_points):
        if spans and cp == spans[-1][1] + 1:
            spans[-1][1] = cp
        else:
            spans.append([cp, cp])
    return ", ".join(f"U+{a:04X}" if a == b else f"U+{a:04X}-{b:04X}" for a, b in spans)


def _local_names(source: str) -> list[str]:
    """The installed font's full and PostScript names: a phone that has it uses its own."""
    font = TTFont(SOURCE_DIR / source, lazy=True)
    try:
        names = [font["name"].getDebugName(name_id) for name_id in (4, 6)]
    finally:
        font.close()
    return list(dict.fromkeys(name for name in names if name))


def font_face_css() -> str:
    """The text of static/css/fonts.css."""
    rules = [
        "/* Generated by `make fonts` (academy/core/web_fonts.py) from static/fonts: do not edit.",
        "   A browser downloads a file only for a page with characters in its unicode-range. */",
    ]
    for file in web_font_files():
        local = ", ".join(f'local("{name}")' for name in _local_names(file.source))
        low, high = file.weights
        weight = str(low) if low == high else f"{low} {high}"
        rules.append(
            "@font-face {\n"
            f'  font-family: "{FAMILY}";\n'
            f'  src: {local}, url("../fonts/web/{file.filename}") format("woff2");\n'
            f"  font-weight: {weight};\n"
            "  font-display: swap;\n"
            f"  unicode-range: {unicode_range(file.claimed)};\n"
            "}"
        )
    return "\n".join(rules) + "\n"


def _subset_options() -> subset.Options:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # Arabic joining, Indic conjuncts, marks
    options.hinting = False  # phone screens do not use TrueType hinting
    options.desubroutinize = True  # smaller once compressed
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep copyright and licence
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]  # FontForge's timestamps
    return options


def write_web_font(file: WebFontFile, folder: Path) -> Path:
    # The source's own timestamp, not today's: the same fonts give the same files.
    font = TTFont(SOURCE_DIR / file.source, recalcTimestamp=False)
    try:
        subsetter = subset.Subsetter(_subset_options())
        subsetter.populate(unicodes=sorted(file.kept))
        subsetter.subset(font)
        font.flavor = "woff2"
        target = folder / file.filename
        font.save(target, reorderTables=False)
        return target
    finally:
        font.close()


def build(folder: Path = WEB_DIR, css_file: Path = CSS_FILE) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = web_font_files()
    wanted = {file.filename for file in files}
    for stale in folder.glob("*.woff2"):
        if stale.name not in wanted:
            stale.unlink()
    css_file.write_text(font_face_css(), encoding="utf-8")
    workers = min(4, os.cpu_count() or 1)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(write_web_font, files, [folder] * len(files)))


def main() -> None:
    parser = argparse.ArgumentParser(description="Write the web fonts and static/css/fonts.css")
    parser.add_argument("--folder", type=Path, default=WEB_DIR)
    arguments = parser.parse_args()
    written = build(arguments.folder)
    total = sum(path.stat().st_size for path in written)
    print(f"{len(written)} web fonts, {total / 1024:.0f} KB, in {arguments.folder}")


if __name__ == "__main__":
    main()
