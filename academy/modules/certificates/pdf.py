"""A certificate as a printable PDF: A4 landscape, a QR code to its public check.

The fonts ship with the app (``static/fonts``): DejaVu Sans draws Latin (Vietnamese
too), Cyrillic, Greek, Armenian and Georgian; Noto fonts and WenQuanYi Micro Hei are
fallbacks for the other scripts a display name may be written in. Text is shaped with
HarfBuzz, so Arabic and Persian are joined and run right to left, and Indic scripts
form their conjuncts.

The wording names the skill and nothing else: no word about the people the
programme serves. A certificate that is not valid says so on the page itself.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import segno
from flask_babel import gettext
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from academy.core.config import PROJECT_ROOT
from academy.core.i18n import current_language
from academy.modules.certificates.codes import format_code
from academy.modules.certificates.models import Certificate
from academy.modules.certificates.pdf_text import (
    NO_END,
    WATERMARKS,
    check_words,
    day_text,
    labels,
    status_notice,
)
from academy.modules.certificates.rules import EXPIRED, Standing

FONT_DIR = PROJECT_ROOT / "static" / "fonts"


@dataclass(frozen=True)
class FontFamily:
    name: str
    regular: str
    bold: str | None = None

    def files(self) -> tuple[tuple[str, str], ...]:
        styles = (("", self.regular), ("B", self.bold))
        return tuple((style, file) for style, file in styles if file)


BASE_FONT = FontFamily("DejaVuSans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
FALLBACK_FONTS = (
    # Arabic, Persian, Dari, Pashto, Urdu, Sorani Kurdish
    FontFamily("NotoNaskhArabic", "NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    FontFamily("NotoSansHebrew", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf"),
    # Tigrinya, Amharic, Tigre
    FontFamily("NotoSansEthiopic", "NotoSansEthiopic-Regular.ttf", "NotoSansEthiopic-Bold.ttf"),
    # Hindi, Marathi, Nepali
    FontFamily(
        "NotoSansDevanagari", "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf"
    ),
    FontFamily("NotoSansBengali", "NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf"),
    FontFamily("NotoSansTamil", "NotoSansTamil-Regular.ttf", "NotoSansTamil-Bold.ttf"),
    FontFamily("NotoSansThai", "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf"),
    # Chinese (simplified and traditional), Japanese kana, Korean hangul; regular only
    FontFamily("WenQuanYiMicroHei", "WenQuanYiMicroHei.ttf"),
)
# DejaVu Sans has basic Hebrew and Arabic too; the Noto fonts draw them far better.
LEFT_TO_FALLBACKS = ((0x0590, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB1D, 0xFEFF))
REPLACEMENT = "\N{REPLACEMENT CHARACTER}"

INK = (33, 37, 41)
MUTED = (96, 103, 112)
ACCENT = (31, 78, 90)
ALERT = (176, 32, 32)
WATERMARK = (250, 228, 228)
PAGE_W, PAGE_H = 297.0, 210.0
MARGIN = 28.0
QR_SIZE = 36.0
LINE_HEIGHT = 0.5  # mm of line per pt of type

# --- fonts: what each file covers is read once per process --------------------------------


def _in_base_range(codepoint: int) -> bool:
    return not any(low <= codepoint <= high for low, high in LEFT_TO_FALLBACKS)


@functools.cache
def font_coverage(filename: str) -> frozenset[int]:
    """The code points a shipped font file has glyphs for."""
    font = TTFont(FONT_DIR / filename, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


@functools.cache
def _base_coverage() -> frozenset[int]:
    return frozenset(cp for cp in font_coverage(BASE_FONT.regular) if _in_base_range(cp))


@functools.cache
def _base_range() -> tuple[int, ...]:
    """The code points the base font is asked to draw (fpdf2 takes a list of them)."""
    return tuple(sorted(_base_coverage()))


def _fallback_for(char: str) -> FontFamily | None:
    codepoint = ord(char)
    return next((f for f in FALLBACK_FONTS if codepoint in font_coverage(f.regular)), None)


def fallbacks_needed(text: str) -> list[FontFamily]:
    """The fallback fonts this text needs, in order of preference; the others stay unloaded."""
    base = _base_coverage()
    needed = {_fallback_for(ch) for ch in set(text) if ord(ch) not in base}
    return [family for family in FALLBACK_FONTS if family in needed]


def printable(text: str) -> str:
    """The text as the shipped fonts can draw it.

    A letter that no font has becomes U+FFFD, so the gap shows; emoji, symbols, marks
    and invisible characters that no font has are left out. fpdf2 would otherwise log
    the missing characters, and a name does not belong in a log.
    """
    base = _base_coverage()
    drawn = " ".join("".join(_printable_char(ch, base) for ch in text).split())
    return drawn or REPLACEMENT


def _printable_char(char: str, base: frozenset[int]) -> str:
    if ord(char) in base or _fallback_for(char) is not None:
        return char
    return "" if unicodedata.category(char)[0] in "CMS" else REPLACEMENT


def _add_family(
    pdf: FPDF, family: FontFamily, unicode_range: tuple[int, ...] | None = None
) -> None:
    for style, filename in family.files():
        pdf.add_font(family.name, style, FONT_DIR / filename, unicode_range=unicode_range)


def _load_fonts(pdf: FPDF, texts: Iterable[str]) -> None:
    """fpdf2 subsets a font object while writing a document, so each document gets its
    own; only the fallback fonts its text needs are added (the CJK one is large)."""
    _add_family(pdf, BASE_FONT, _base_range())
    fallbacks = fallbacks_needed("".join(texts))
    for family in fallbacks:
        _add_family(pdf, family)
    if fallbacks:
        # a bold line may fall back to a font that has only a regular face
        pdf.set_fallback_fonts([family.name for family in fallbacks], exact_match=False)
    pdf.set_text_shaping(True)


# --- QR code ------------------------------------------------------------------------------


def qr_png(url: str) -> bytes:
    """A QR code for the URL as a black-and-white PNG, made here: nothing is fetched."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=10, border=0)
    return buffer.getvalue()


# --- the document -------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificateText:
    """Every line the page shows, so fonts can be chosen for all of them at once."""

    holder: str
    title: str
    version: str
    issued: str
    valid_until: str
    code: str
    verify_url: str
    notice: str | None
    until_label: str = "Valid until"

    def lines(self) -> tuple[str, ...]:
        return (self.holder, self.title, self.version, self.verify_url, self.notice or "")


def certificate_text(
    certificate: Certificate, standing: Standing, verify_url: str
) -> CertificateText:
    # The end that counts: the expiry, or earlier the end of a refresher's grace period.
    ends = standing.ends_at or certificate.expires_at
    return CertificateText(
        holder=printable(certificate.holder_name),
        title=printable(certificate.subject_title),
        version=printable(certificate.subject_version),
        issued=day_text(certificate.issued_at),
        valid_until=day_text(ends) if ends else str(NO_END),
        until_label=gettext("Expired on") if standing.state == EXPIRED else gettext("Valid until"),
        code=format_code(certificate.code),
        verify_url=verify_url,
        notice=status_notice(certificate, standing),
    )


def render_certificate_pdf(certificate: Certificate, standing: Standing, verify_url: str) -> bytes:
    """The certificate as PDF bytes. ``standing`` is ``services.certificate_standing``."""
    text = certificate_text(certificate, standing, verify_url)
    words = labels()
    watermark = str(WATERMARKS.get(standing.status, standing.status.upper()))
    pdf = _new_document(
        text, (*words.values(), watermark, text.until_label, check_words(text.verify_url))
    )
    _draw_frame(pdf)
    if text.notice:
        _draw_watermark(pdf, watermark)
    _draw_heading(pdf, words)
    _draw_holder(pdf, text, words)
    if text.notice:
        _draw_notice(pdf, text.notice)
    _draw_details(pdf, text, words)
    _draw_qr(pdf, text.verify_url, words["scan"])
    return bytes(pdf.output())


def _new_document(text: CertificateText, words: tuple[str, ...]) -> FPDF:
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_title(gettext("Peer Academy certificate %(code)s", code=text.code))
    pdf.set_creator("Peer Academy")
    pdf.set_lang(current_language())
    _load_fonts(pdf, (*text.lines(), *words))
    pdf.add_page()
    return pdf


def _draw_frame(pdf: FPDF) -> None:
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, PAGE_W - 20, PAGE_H - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13.5, 13.5, PAGE_W - 27, PAGE_H - 27)


def _draw_watermark(pdf: FPDF, word: str) -> None:
    pdf.set_font(BASE_FONT.name, "B", 110)
    pdf.set_text_color(*WATERMARK)
    with pdf.rotation(angle=20, x=PAGE_W / 2, y=PAGE_H / 2):
        pdf.set_xy(0, PAGE_H / 2 - 25)
        pdf.cell(PAGE_W, 50, word, align=Align.C)


Colour = tuple[int, int, int]


def _centred(
    pdf: FPDF, text: str, size: float, style: str = "", colour: Colour = INK, h: float = 0
) -> None:
    pdf.set_font(BASE_FONT.name, style, size)
    pdf.set_text_color(*colour)
    pdf.set_x(MARGIN)
    pdf.multi_cell(
        PAGE_W - 2 * MARGIN,
        h or size * LINE_HEIGHT,
        text,
        align=Align.C,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )


def _draw_heading(pdf: FPDF, words: dict[str, str]) -> None:
    pdf.set_y(24)
    pdf.set_char_spacing(2.5)
    _centred(pdf, "PEER ACADEMY", 12, "B", ACCENT)
    pdf.set_char_spacing(0)
    pdf.ln(3)
    _centred(pdf, words["certificate"], 34, "", INK)
    _rule(pdf, pdf.get_y() + 4, 40)


def _rule(pdf: FPDF, y: float, width: float) -> None:
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.5)
    pdf.line(PAGE_W / 2 - width / 2, y, PAGE_W / 2 + width / 2, y)


def _fitting_size(pdf: FPDF, text: str, largest: float, smallest: float) -> float:
    """The largest font size (in steps of 2 pt) that keeps the text on one line."""
    size = largest
    while size > smallest:
        pdf.set_font(BASE_FONT.name, "B", size)
        lines = pdf.multi_cell(PAGE_W - 2 * MARGIN, 10, text, dry_run=True, output="LINES")
        if len(lines) <= 1:
            return size
        size -= 2
    return smallest


def _draw_holder(pdf: FPDF, text: CertificateText, words: dict[str, str]) -> None:
    pdf.set_y(62)
    _centred(pdf, words["certifies"], 12, "", MUTED, h=7)
    pdf.ln(2)
    _centred(pdf, text.holder, _fitting_size(pdf, text.holder, 34, 16), "B", INK)
    pdf.ln(3)
    _centred(pdf, words["completed"], 12, "", MUTED, h=7)
    pdf.ln(1)
    _centred(pdf, text.title, _fitting_size(pdf, text.title, 20, 14), "B", ACCENT)
    pdf.ln(1)
    _centred(pdf, gettext("Content version %(version)s", version=text.version), 10, "", MUTED, h=6)


def _draw_notice(pdf: FPDF, notice: str) -> None:
    pdf.ln(5)
    y = pdf.get_y()
    pdf.set_draw_color(*ALERT)
    pdf.set_line_width(0.6)
    pdf.rect(MARGIN + 30, y, PAGE_W - 2 * MARGIN - 60, 10)
    pdf.set_y(y + 2)
    _centred(pdf, notice, 11, "B", ALERT, h=6)


def _draw_details(pdf: FPDF, text: CertificateText, words: dict[str, str]) -> None:
    rows = (
        (words["issued"], text.issued),
        (text.until_label, text.valid_until),
        (words["code"], text.code),
    )
    y = PAGE_H - MARGIN - QR_SIZE
    for label, value in rows:
        _detail(pdf, y, label, value)
        y += 9
    _check_line(pdf, check_words(text.verify_url))


def _check_line(pdf: FPDF, line: str) -> None:
    """The address in words, in type small enough to stay clear of the QR code."""
    width = PAGE_W - 2 * MARGIN - QR_SIZE - 12
    size = 8.5
    pdf.set_font(BASE_FONT.name, "", size)
    while size > 5 and pdf.get_string_width(line) > width:
        size -= 0.5
        pdf.set_font(BASE_FONT.name, "", size)
    pdf.set_xy(MARGIN, PAGE_H - MARGIN - 4)
    pdf.set_text_color(*MUTED)
    pdf.cell(width, 4, line)


def _detail(pdf: FPDF, y: float, label: str, value: str) -> None:
    pdf.set_xy(MARGIN, y)
    pdf.set_font(BASE_FONT.name, "", 8.5)
    pdf.set_text_color(*MUTED)
    pdf.cell(34, 5, label.upper())
    pdf.set_font(BASE_FONT.name, "B", 11)
    pdf.set_text_color(*INK)
    pdf.cell(0, 5, value)


def _draw_qr(pdf: FPDF, url: str, caption: str) -> None:
    x, y = PAGE_W - MARGIN - QR_SIZE, PAGE_H - MARGIN - QR_SIZE - 4
    pdf.image(io.BytesIO(qr_png(url)), x=x, y=y, w=QR_SIZE, h=QR_SIZE)
    pdf.set_xy(x - 5, y + QR_SIZE + 0.5)
    pdf.set_font(BASE_FONT.name, "", 7.5)
    pdf.set_text_color(*MUTED)
    pdf.cell(QR_SIZE + 10, 4, caption, align=Align.C)
