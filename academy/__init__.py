"""Peer Academy: e-learning for peer advisors."""

from __future__ import annotations

from importlib import import_module

from flask import Flask

from academy.cli import register_commands
from academy.core.config import DEFAULTS, PROJECT_ROOT, config_from_environment
from academy.core.errors import Academy


def create_app(config: dict | None = None) -> Flask:
    app = Academy(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(DEFAULTS)
    app.config.update(config_from_environment() if config is None else _merge_env(config))
    app.instance_path = app.config["ACADEMY_INSTANCE_PATH"]
    _trust_proxies(app)

    _init_logging(app)
    _init_extensions(app)
    _init_features(app)
    register_commands(app)
    return app


def _merge_env(config: dict) -> dict:
    """Explicit config wins; anything it leaves out comes from the environment."""
    merged = {key: value for key, value in config_from_environment().items() if key not in config}
    merged.update(config)
    return merged


def _trust_proxies(app: Flask) -> None:
    """Behind N reverse proxies, take the client address and scheme from the headers
    they set; otherwise every client would share the proxy's address (and its rate
    limit). Never on by default: without a proxy, those headers are the client's lie."""
    proxies = app.config["ACADEMY_PROXY_FIX"]
    if proxies > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )


def _init_logging(app: Flask) -> None:
    """First, so the request timer starts before every other hook and the JSON handler
    is in place before content problems are logged. Tests keep pytest's log capture."""
    from academy.core.logging import configure_json_logging, init_request_logging

    if not app.testing:
        configure_json_logging()
    init_request_logging(app)


def _init_extensions(app: Flask) -> None:
    from academy.core import (
        catalogue,
        compression,
        content_language,
        dates,
        errors,
        forms,
        i18n,
        input_checks,
        security,
        sessions,
        static_files,
        urls,
    )
    from academy.core.database import configure_engine
    from academy.core.extensions import csrf, db, login_manager, migrate
    from academy.core.limiter import init_limiter

    input_checks.init_input_checks(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    forms.init_forms(app)
    login_manager.init_app(app)
    sessions.init_sessions(app)
    init_limiter(app)
    with app.app_context():
        configure_engine(db.engine)
    security.init_security(app)
    static_files.init_static_files(app)
    compression.init_compression(app)
    urls.init_urls(app)
    i18n.init_i18n(app)
    dates.init_dates(app)
    errors.init_errors(app)
    catalogue.init_catalogue(app)
    content_language.init_content_language(app)


def _init_features(app: Flask) -> None:
    """Each feature wires itself in (``academy/modules/<feature>/__init__.py``): its
    blueprints, commands, signal receivers, request hooks and data-rights functions.
    Lower features first, in the order ``FEATURES`` records."""
    from academy.modules import FEATURES

    for feature in FEATURES:
        import_module(f"academy.modules.{feature}").init_app(app)
