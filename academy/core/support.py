"""Where a trainee can get support: a general text plus contacts that features provide.

Lesson pages (courses) show support contacts, but the contacts belong to higher features
(centres). So features register a provider here at start-up and the lower feature asks
core: the dependency still points one way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app

from academy.core.config import DEFAULT_SUPPORT_TEXT

# A provider returns (who, how to reach them) pairs for one user, e.g. (centre name, contact).
SupportProvider = Callable[[int], list[tuple[str, str]]]
EXTENSION_KEY = "academy.support_providers"


@dataclass(frozen=True)
class Support:
    general: str
    contacts: tuple[tuple[str, str], ...]


def register_support_provider(app: Flask, provider: SupportProvider) -> None:
    """Add a provider of support contacts to this app; registering twice has no effect."""
    providers: list[SupportProvider] = app.extensions.setdefault(EXTENSION_KEY, [])
    if provider not in providers:
        providers.append(provider)


def support_for(user_id: int) -> Support:
    """The general support text and every registered contact for this user."""
    contacts: list[tuple[str, str]] = []
    for provider in current_app.extensions.get(EXTENSION_KEY, []):
        contacts.extend(provider(user_id))
    return Support(general=general_support_text(), contacts=tuple(contacts))


def general_support_text() -> str:
    """The operator's general advice (``ACADEMY_SUPPORT_TEXT``), for everyone."""
    return str(current_app.config.get("ACADEMY_SUPPORT_TEXT") or DEFAULT_SUPPORT_TEXT)
