"""Progress: which lessons a trainee has studied and which modules they have completed
(it sends ``module_completed``)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from academy.modules.progress import (
        models,  # noqa: F401 - its tables, known to SQLAlchemy and Alembic
        privacy,
    )

    privacy.register(app)
