"""The features, one package each, every one with an ``init_app(app)`` that wires it in.

``FEATURES`` is the one written record of the dependency order: each feature with the
features it may import (their services and models, never their views), lower ones
first. ``create_app`` calls the features' ``init_app`` in this order, so a feature's
hooks and receivers are in place before a higher feature's; ``tests/test_architecture.py``
fails when the code imports, reads the tables of or names the endpoints of a feature
not listed here for it. Events that must travel upward go by a signal
(``academy/core/signals.py``) or a hook registered with core (``support.py``,
``data_rights.py``, ``destinations.py``).
"""

from __future__ import annotations

# Lower features first: the order create_app wires them in. On the main line (accounts
# to api) a feature may use every feature before it; safety and operations stand beside
# it, using accounts only, and nothing uses them.
FEATURES: dict[str, tuple[str, ...]] = {
    "accounts": (),
    "progress": ("accounts",),
    "courses": ("accounts", "progress"),
    "quizzes": ("accounts", "progress", "courses"),
    "practice": ("accounts",),
    "certificates": ("accounts", "progress", "courses", "quizzes", "practice"),
    "credentials": ("accounts", "certificates"),
    "trainer": ("accounts", "progress", "courses", "quizzes", "practice", "certificates"),
    "centres": ("accounts", "progress", "courses", "quizzes", "practice", "certificates"),
    "api": ("accounts", "progress", "courses", "quizzes", "practice", "certificates", "centres"),
    "offline": ("accounts", "courses"),
    "safety": ("accounts",),
    "operations": ("accounts",),
}
