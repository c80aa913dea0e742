"""Markdown to safe HTML for course content.

Authors write Markdown, never HTML: raw HTML in the source is escaped and shown as
text, and the rendered HTML is sanitised with nh3 against an allowlist anyway, so
a mistake in one layer cannot let a script, a style or an external resource through.
"""

from __future__ import annotations

import html
import re
import threading

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

_EXTENSIONS = ["tables", "fenced_code", "toc", "admonition", "attr_list", "sane_lists", "abbr"]
_INLINE_EXTENSIONS = ["attr_list"]
_EXTENSION_CONFIGS = {
    # "align" instead of a style attribute, which the sanitiser removes.
    "tables": {"use_align_attribute": True},
    # The default slugify drops umlauts and other non-ASCII letters.
    "toc": {"slugify": slugify_unicode},
}

_INLINE_TAGS = {
    "a", "abbr", "b", "br", "code", "del", "dfn", "em", "i", "img", "ins", "kbd", "mark",
    "q", "s", "samp", "small", "span", "strong", "sub", "sup", "u", "var",
}  # fmt: skip
_BLOCK_TAGS = {
    "blockquote", "caption", "col", "colgroup", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "ol", "p",
    "pre", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {
    # Classes come from admonitions, fenced code languages and attribute lists; they
    # can only select the app's own CSS.
    "*": {"class", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
}
_URL_SCHEMES = {"http", "https", "mailto"}

# A URL whose first ":" comes before any "/", "?" or "#" has a scheme (or is invalid).
_HAS_SCHEME = re.compile(r"^[^/?#]*:")


def _is_local_src(src: str) -> bool:
    """True for a path on this host: no scheme, no "//host" (browsers treat "\\" as "/")."""
    if not src or "\\" in src or any(c.isspace() or ord(c) < 32 for c in src):
        return False
    return not src.startswith("//") and not _HAS_SCHEME.match(src)


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not _is_local_src(value):
        return None
    return value


def _cleaner(tags: set[str]) -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=tags,
        clean_content_tags={"script", "style"},
        attributes={t: a for t, a in _ATTRIBUTES.items() if t == "*" or t in tags},
        attribute_filter=_filter_attribute,
        url_schemes=_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


_BLOCK_CLEANER = _cleaner(_INLINE_TAGS | _BLOCK_TAGS)
_INLINE_CLEANER = _cleaner(_INLINE_TAGS)

# Characters with a meaning somewhere in Markdown (or in HTML). Text without any of them,
# on one line and not starting like a list item, renders to itself, escaped.
_PLAIN_TEXT = re.compile(r"(?![ \t]*(?:[-+]|\d+[.)]))[^\\`*_\[\]<>&#{}|~=\n\r]*")

_local = threading.local()


def _converter(kind: str) -> markdown.Markdown:
    """One Markdown instance per thread and kind: instances are not thread-safe, and
    building one costs more than rendering a typical paragraph."""
    md = getattr(_local, kind, None)
    if md is None:
        # A single line needs no block extensions; the table of contents alone would
        # double the cost of rendering a short option text.
        extensions = _EXTENSIONS if kind == "block" else _INLINE_EXTENSIONS
        md = markdown.Markdown(extensions=extensions, extension_configs=_EXTENSION_CONFIGS)
        # Escape raw HTML instead of passing it through: authors write Markdown only.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        setattr(_local, kind, md)
    return md.reset()


def _convert(kind: str, text: str) -> str | None:
    """Unsanitised HTML, or None for text nested too deeply for Python-Markdown, which
    recurses once per level (hundreds of nested list markers); such text is shown as is."""
    try:
        return _converter(kind).convert(text)
    except RecursionError:
        # The instance may be half-way through a document; start the next one afresh.
        setattr(_local, kind, None)
        return None


def _plain(text: str) -> str | None:
    """The escaped text if ``text`` has no Markdown syntax at all, else None."""
    stripped = text.strip()
    if _PLAIN_TEXT.fullmatch(stripped):
        return html.escape(stripped, quote=False)
    return None


def render_markdown(text: str) -> str:
    """Render Markdown to sanitised block HTML ("" for blank text)."""
    if not text.strip():
        return ""
    plain = _plain(text)
    if plain is not None:
        return f"<p>{plain}</p>"
    html_text = _convert("block", text)
    if html_text is None:
        return f"<pre>{html.escape(text, quote=False)}</pre>"
    return _BLOCK_CLEANER.clean(html_text)


def render_inline(text: str) -> str:
    """Render one line of Markdown (an option, a heading) to sanitised inline HTML,
    without a wrapping <p>; block elements are dropped, their text is kept."""
    if not text.strip():
        return ""
    plain = _plain(text)
    if plain is not None:
        return plain
    html_text = _convert("inline", text)
    if html_text is None:
        return html.escape(text.strip(), quote=False)
    return _INLINE_CLEANER.clean(html_text).strip()


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment, for plain-text uses such as titles."""
    return html.unescape(nh3.clean(fragment, tags=set())).strip()
