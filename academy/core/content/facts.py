"""Centre facts: the local facts a lesson names and each trainee's centre fills in.

A lesson writes ``[[centre:emergency-number]]`` where a fact of the reader's centre is
meant (its emergency number, how expenses are paid back). A centre's coordinator fills
the facts in on the centre pages; the lesson page shows the reader's centre's value, or
the fact's fallback, which says what to ask (and 112 for emergencies).

Why ``[[centre:name]]``: Python-Markdown gives ``[[…]]`` no meaning (no wiki-links
extension is on; ``[centre:…]`` names no link reference), Jinja does not use it, and none
of its characters is escaped in HTML, so a placeholder passes through rendering and
sanitising unchanged and is found again in the HTML. Braces would not: attribute lists
take ``{…}`` at the end of a heading, the quiz uses ``{#q-id}``, and ``{{…}}`` reads as
Jinja. Names use hyphens, never underscores, which Markdown reads as emphasis.

Lessons are rendered once, when the content loads; the placeholders are replaced in the
rendered HTML for each reader (``academy.core.centre_facts``). The list of facts is fixed
here: ``content check`` refuses an unknown name, with its file and line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext
from flask_babel.speaklater import LazyString

from academy.core.content.model import Problem

PLACEHOLDER = re.compile(r"\[\[centre:([a-z0-9-]+)\]\]")
# Anything that looks like an attempt at a placeholder, to name the mistake.
_ATTEMPT = re.compile(r"\[\[\s*centre\b[^\]\n]*\]?\]?", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")

SHORT = 200  # a number, a name and the hours
LONG = 500  # a rule in two or three sentences


@dataclass(frozen=True)
class Fact:
    name: str  # as written in the placeholder; never rename one (centres' values use it)
    # Interface text, lazy: each is read in the language of the page that shows it.
    label: LazyString  # the coordinator's form field
    hint: LazyString  # what to write there, with an example
    fallback: LazyString  # what a trainee sees when their centre has not filled it in
    max_length: int = SHORT


FACTS: tuple[Fact, ...] = (
    Fact(
        "emergency-number",
        lazy_gettext("The centre's own emergency number"),
        lazy_gettext(
            "Only if the centre has one, with the hours it answers. Example: 030 123 456 00, "
            "day and night."
        ),
        lazy_gettext(
            "Not filled in yet. In danger, call 112. Ask your coordinator whether the centre "
            "has its own emergency number, and when to use it."
        ),
    ),
    Fact(
        "out-of-hours-number",
        lazy_gettext("Out-of-hours number (evenings, nights, weekends)"),
        lazy_gettext(
            "Who answers when the centre is closed. Example: 030 123 456 01, the on-call "
            "counsellor, 6 p.m. to 9 a.m. and at weekends."
        ),
        lazy_gettext(
            "Not filled in yet. In danger, call 112. Ask your coordinator whom to call in the "
            "evening and at the weekend."
        ),
    ),
    Fact(
        "coordinator-contact",
        lazy_gettext("How peers reach their coordinator when something is urgent"),
        lazy_gettext(
            "A name, a work number and the hours. Example: Sam Weber, 030 123 456 10, "
            "Monday to Friday, 9 to 5."
        ),
        lazy_gettext(
            "Not filled in yet. Ask your coordinator for their work number and the hours you "
            "can reach them."
        ),
    ),
    Fact(
        "coordinator-stand-in",
        lazy_gettext("Whom peers call when their coordinator is away"),
        lazy_gettext("Example: Ana Costa, 030 123 456 11, or the centre's front desk."),
        lazy_gettext(
            "Not filled in yet. Ask your coordinator who stands in for them when they are away."
        ),
    ),
    Fact(
        "counsellor-same-day",
        lazy_gettext("How a client's counsellor hears something the same day"),
        lazy_gettext(
            "Example: call the front desk, 030 123 456 00, until 5 p.m.; they find the "
            "counsellor or a colleague."
        ),
        lazy_gettext(
            "Not filled in yet. Ask your coordinator how a counsellor hears something the same "
            "day, and whom to call if the counsellor is away."
        ),
    ),
    Fact(
        "child-protection-contact",
        lazy_gettext("Who at the centre deals with child protection"),
        lazy_gettext("A name or role and how to reach them the same day."),
        lazy_gettext(
            "Not filled in yet. Tell your coordinator, the same day. Ask who at the centre "
            "deals with child protection."
        ),
    ),
    Fact(
        "data-protection-contact",
        lazy_gettext("Whom peers tell at once about a data leak or a lost work phone"),
        lazy_gettext(
            "Also the data protection officer. Example: the coordinator first; the data "
            "protection officer, datenschutz@centre.example."
        ),
        lazy_gettext(
            "Not filled in yet. Tell your coordinator at once. Ask who the centre's data "
            "protection officer is."
        ),
    ),
    Fact(
        "expenses",
        lazy_gettext("How expenses are paid back"),
        lazy_gettext(
            "Which costs, which receipts, how and by when. Example: tickets and printing; "
            "receipts with the monthly time sheet; paid by bank transfer."
        ),
        lazy_gettext(
            "Not filled in yet. Ask your coordinator which costs the centre pays back, and "
            "how and by when you hand in receipts."
        ),
        LONG,
    ),
    Fact(
        "compensation",
        lazy_gettext("How peers' time is paid"),
        lazy_gettext(
            "Which time counts as work and how it is paid. Example: meetings, travel, "
            "supervision and training count; paid monthly by bank transfer."
        ),
        lazy_gettext(
            "Not filled in yet. Ask your coordinator which of your time counts as work, and "
            "how and when you are paid."
        ),
        LONG,
    ),
    Fact(
        "work-phone-use",
        lazy_gettext("What the work phone may be used for"),
        lazy_gettext(
            "Example: calls and messages with clients and the team, in the messaging app "
            "the centre chose; no private calls, apps or photos."
        ),
        lazy_gettext(
            "Not filled in yet. Ask your coordinator what you may use the work phone for, and "
            "what not."
        ),
        LONG,
    ),
    Fact(
        "gifts",
        lazy_gettext("The centre's rule on gifts from clients"),
        lazy_gettext(
            "Example: small gifts such as a card or homemade food are fine; tell the "
            "coordinator about every gift."
        ),
        lazy_gettext("Not filled in yet. Ask your coordinator which small gifts you may accept."),
        LONG,
    ),
    Fact(
        "supervision",
        lazy_gettext("When supervision takes place, and how to ask for an extra session"),
        lazy_gettext(
            "Example: in a group, every second Tuesday at 5 p.m.; after a crisis, ask your "
            "coordinator for a session that week."
        ),
        lazy_gettext(
            "Not filled in yet. Ask your coordinator when supervision takes place, and how to "
            "ask for a session soon after a crisis."
        ),
        LONG,
    ),
    Fact(
        "public-contact",
        lazy_gettext("The centre's contact details peers may give out in public"),
        lazy_gettext(
            "For events, flyers and posts. Example: 030 123 456 00, info@centre.example, "
            "Monday to Friday, 9 to 5; free and confidential."
        ),
        lazy_gettext(
            "Not filled in yet. Ask your coordinator which contact details of the centre you "
            "may give out."
        ),
        LONG,
    ),
)
FACTS_BY_NAME: dict[str, Fact] = {fact.name: fact for fact in FACTS}


def check_lesson(path: str, text: str, html: str) -> tuple[tuple[str, ...], list[Problem]]:
    """The facts a lesson's rendered ``html`` names, and the problems with its placeholders.

    A placeholder must name a known fact, may not be in the title (shown as plain text
    in lists and the browser's title) and must come out of rendering as text, never in
    a link's address or another attribute, where a centre's value would not be escaped
    for its place.
    """
    problems = _problems_in_source(path, text, allowed=True)
    title_line = next((i for i, line in enumerate(text.split("\n"), 1) if line.strip()), 1)
    for line, name in _placeholders(text):
        if line == title_line:
            problems.append(Problem(path, line, f"[[centre:{name}]] cannot be in the title"))
    shown = Counter(PLACEHOLDER.findall(_TAG.sub(" ", html)))
    written = Counter(name for _, name in _placeholders(text))
    for name, count in written.items():
        if name in FACTS_BY_NAME and shown[name] < count:
            line = next(line for line, found in _placeholders(text) if found == name)
            message = (
                f"[[centre:{name}]] does not come out of Markdown as text; write it in "
                "running text, not in a link's address"
            )
            problems.append(Problem(path, line, message))
    return tuple(sorted(name for name in shown if name in FACTS_BY_NAME)), problems


def check_elsewhere(path: str, text: str) -> list[Problem]:
    """A placeholder outside a lesson (module.md, quiz.md) is an error: only lessons
    are filled in for their reader."""
    return _problems_in_source(path, text, allowed=False)


def fill(html: str, values: Mapping[str, str]) -> str:
    """``html`` with each placeholder replaced by its value (HTML, escaped by the caller)."""
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), html)


def _problems_in_source(path: str, text: str, allowed: bool) -> list[Problem]:
    problems = []
    known = ", ".join(fact.name for fact in FACTS)
    for number, line in enumerate(text.split("\n"), 1):
        for attempt in _ATTEMPT.finditer(line):
            written = attempt.group(0)
            match = PLACEHOLDER.fullmatch(written)
            if match is None:
                message = f"{written!r}: write a centre fact as [[centre:name]] in small letters"
            elif not allowed:
                message = f"{written}: centre facts are filled in in lessons only"
            elif match.group(1) not in FACTS_BY_NAME:
                message = f"unknown centre fact '{match.group(1)}' (known: {known})"
            else:
                continue
            problems.append(Problem(path, number, message))
    return problems


def _placeholders(text: str) -> list[tuple[int, str]]:
    return [
        (number, match.group(1))
        for number, line in enumerate(text.split("\n"), 1)
        for match in PLACEHOLDER.finditer(line)
    ]
