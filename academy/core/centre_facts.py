"""A lesson for one reader: its centre-fact placeholders filled with their centres' values.

Lesson pages (courses) show the facts, but the values belong to a higher feature
(centres), which registers a provider here at start-up, as it does for support contacts
(``support.py``): the dependency still points one way. The syntax and the list of facts
are in ``academy.core.content.facts``.

A reader who shares with one centre sees its value; with several, each centre's value
after its name; without a centre, or where no centre filled a fact in, the fact's
fallback, which says what to ask (and 112 for emergencies). Values are plain text,
escaped here; a lesson without placeholders is returned as it is, with no query.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from flask import Flask, current_app
from markupsafe import escape

from academy.core.content.facts import FACTS_BY_NAME, Fact, fill
from academy.core.content.model import Lesson

# (centre name, {fact name: value}) for each centre the reader shares with, by name.
CentreValues = tuple[str, Mapping[str, str]]
FactsProvider = Callable[[int], list[CentreValues]]
EXTENSION_KEY = "academy.centre_facts_providers"


def register_facts_provider(app: Flask, provider: FactsProvider) -> None:
    """Add a provider of centre facts to this app; registering twice has no effect."""
    providers: list[FactsProvider] = app.extensions.setdefault(EXTENSION_KEY, [])
    if provider not in providers:
        providers.append(provider)


def lesson_html(lesson: Lesson, user_id: int) -> str:
    """The lesson's HTML for this reader (safe: the rendered lesson, values escaped)."""
    if not lesson.facts:
        return lesson.html
    centres = [
        centre
        for provider in current_app.extensions.get(EXTENSION_KEY, [])
        for centre in provider(user_id)
    ]
    values = {name: shown(FACTS_BY_NAME[name], centres) for name in lesson.facts}
    return fill(lesson.html, values)


def shown(fact: Fact, centres: Sequence[CentreValues]) -> str:
    """How one fact reads for a reader of these centres, as HTML."""
    filled = [(name, values.get(fact.name, "")) for name, values in centres]
    if not any(value for _, value in filled):
        return f'<span class="centre-fact missing">{escape(fact.fallback)}</span>'
    if len(filled) == 1:
        return f'<span class="centre-fact">{escape(filled[0][1])}</span>'
    return "; ".join(
        f'<span class="centre-fact{"" if value else " missing"}"><strong>{escape(name)}'
        f"</strong>: {escape(value or fact.fallback)}</span>"
        for name, value in filled
    )
