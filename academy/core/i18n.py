"""The interface's language: which one a request gets, and Flask-Babel wired to it.

A signed-in person's choice is stored on the account (``users.language``); before sign-in
(or while the account has no choice) the ``language`` cookie the switcher sets decides;
else the browser's ``Accept-Language``, best match among ``LANGUAGES``, else English.
Catalogues live in ``translations/<code>/LC_MESSAGES/messages.po`` (docs/translating.md);
the compiled ``.mo`` files are built by ``make install``. Flask-Babel loads a language's
catalogue once per process and keeps it (``Domain.cache``): a German page pays only the
dictionary look-ups, never a file read.
"""

from __future__ import annotations

from babel import numbers as babel_numbers
from flask import Flask, Response, g, has_request_context, request
from flask_babel import Babel, get_locale
from flask_login import current_user

from academy.core.config import PROJECT_ROOT

# Each language named in itself: the switcher shows these, whatever the page's language.
LANGUAGES = {
    "en": "English",
    "de": "Deutsch",
    "ar": "العربية",
    "uk": "Українська",
    "ro": "Română",
}
DEFAULT_LANGUAGE = "en"
RIGHT_TO_LEFT = frozenset({"ar"})
LANGUAGE_COOKIE = "language"
LANGUAGE_COOKIE_DAYS = 365
TRANSLATIONS_DIR = PROJECT_ROOT / "translations"

babel = Babel()


def is_supported(code: str | None) -> bool:
    return code in LANGUAGES


def chosen_language() -> str | None:
    """The language a person picked: on the account when signed in, else the cookie."""
    if current_user.is_authenticated and is_supported(current_user.language):
        return current_user.language
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    return cookie if is_supported(cookie) else None


def select_language() -> str:
    """Flask-Babel's locale selector: called once per request, on the first translated
    string; outside a request (the CLI) the interface is English."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    chosen = chosen_language()
    if chosen is not None:
        return chosen
    # The page now depends on the header: a shared cache must keep one copy per language.
    g.language_from_header = True
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)


def current_language() -> str:
    """The page's language code, for ``<html lang>`` and the switcher."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def text_direction() -> str:
    """``rtl`` for a right-to-left language, else ``ltr``: for ``<html dir>``."""
    return "rtl" if current_language() in RIGHT_TO_LEFT else "ltr"


# English keeps the app's "33 %" (a space before the sign, as the pages always had it); the
# other languages use their own pattern.
PERCENT_PATTERNS = {"en": "#,##0 %"}


def format_number(value: float, pattern: str | None = None) -> str:
    """A count or a figure with the page's digits and separators: 1,234.5 / 1.234,5;
    ``pattern`` fixes the decimals ("0.0": one)."""
    return babel_numbers.format_decimal(value, pattern, locale=current_language())


def format_percent(value: float) -> str:
    """A percentage given as 0 to 100 (a score, a pass mark): 80 %, 80 % (de), 80% (ar)."""
    language = current_language()
    return babel_numbers.format_percent(
        value / 100, PERCENT_PATTERNS.get(language), locale=language
    )


def _vary_on_language(response: Response) -> Response:
    if g.get("language_from_header"):
        response.vary.add("Accept-Language")
    return response


def init_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    babel.init_app(app, locale_selector=select_language)
    # {% trans %} blocks are extracted and looked up with their whitespace collapsed.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals.update(
        current_language=current_language,
        text_direction=text_direction,
        LANGUAGES=LANGUAGES,
    )
    app.add_template_filter(format_number, "number")
    app.add_template_filter(format_percent, "percent")
    app.after_request(_vary_on_language)
