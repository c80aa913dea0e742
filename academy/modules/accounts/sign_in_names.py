"""Sign-in names for new accounts are made by the app, not chosen (docs/privacy.md).

A name the person types could be tested: "is this name taken?" would tell whoever holds
a registration link whether someone (perhaps by their e-mail address) has an account.
A made-up name like ``quiet-harbour-417`` cannot be aimed at anyone, says nothing about
the person, and is easy to remember. The registration form shows the name on offer
(kept in the signed session, so the browser cannot swap it) and lets the person ask
for another one as often as they like.
"""

from __future__ import annotations

import secrets

from flask import session

from academy.modules.accounts.services import find_user

# Plain, neutral, easy to spell on a phone keyboard.
ADJECTIVES = (
    "amber", "bright", "calm", "clear", "cosy", "early", "gentle", "golden", "green",
    "happy", "kind", "light", "lucky", "mild", "quiet", "rapid", "silver", "soft",
    "steady", "still", "sunny", "swift", "tidy", "warm", "wise", "young",
)  # fmt: skip
NOUNS = (
    "apple", "birch", "brook", "cedar", "cloud", "comet", "daisy", "field", "garden",
    "harbour", "heron", "hill", "island", "lake", "maple", "meadow", "moon", "olive",
    "otter", "pebble", "river", "robin", "sparrow", "star", "tulip", "willow",
)  # fmt: skip
OFFERED_NAME = "offered_sign_in_name"  # the session key
ATTEMPTS = 20  # 26 * 26 * 900 names: twenty misses in a row do not happen in practice


def random_name() -> str:
    number = 100 + secrets.randbelow(900)
    return f"{secrets.choice(ADJECTIVES)}-{secrets.choice(NOUNS)}-{number}"


def free_name() -> str:
    """A made-up sign-in name nobody has."""
    for _ in range(ATTEMPTS):
        name = random_name()
        if find_user(name) is None:
            return name
    raise RuntimeError("no free sign-in name found")  # a 500: the name space is exhausted


def offer_new_name() -> str:
    """Offer a fresh name for the registration form, and remember it in the session."""
    session[OFFERED_NAME] = free_name()
    return session[OFFERED_NAME]


def offered_name() -> str:
    """The name the form offers: the one already offered in this session, else a new one."""
    return session.get(OFFERED_NAME) or offer_new_name()


def forget_offer() -> None:
    session.pop(OFFERED_NAME, None)
