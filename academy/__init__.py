"""Peer Academy: e-learning for peer advisors."""

from __future__ import annotations

from flask import Flask

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
    _register_blueprints(app)
    _register_cli(app)
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
    from academy.core import catalogue, errors, input_checks, security, sessions, urls
    from academy.core.database import configure_engine
    from academy.core.extensions import csrf, db, login_manager, migrate
    from academy.core.limiter import init_limiter

    input_checks.init_input_checks(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    sessions.init_sessions(app)
    init_limiter(app)
    with app.app_context():
        configure_engine(db.engine)
    security.init_security(app)
    urls.init_urls(app)
    errors.init_errors(app)
    catalogue.init_catalogue(app)


def _import_models() -> None:
    """Every table must be known to SQLAlchemy (and Alembic), with or without a view."""
    import academy.modules.accounts.models
    import academy.modules.centres.models
    import academy.modules.certificates.models
    import academy.modules.progress.models
    import academy.modules.quizzes.models  # noqa: F401


def _register_blueprints(app: Flask) -> None:
    _import_models()
    from academy.modules.accounts.privacy_views import bp as privacy_bp
    from academy.modules.accounts.registration_views import bp as registration_bp
    from academy.modules.accounts.views import bp as accounts_bp
    from academy.modules.api.views import bp as api_bp
    from academy.modules.centres.views import bp as centres_bp
    from academy.modules.certificates.pdf_views import bp as certificate_pdf_bp
    from academy.modules.certificates.views import bp as certificates_bp
    from academy.modules.courses.views import bp as courses_bp
    from academy.modules.credentials.views import bp as credentials_bp
    from academy.modules.operations.views import bp as operations_bp
    from academy.modules.quizzes.views import bp as quizzes_bp
    from academy.modules.safety.views import bp as safety_bp
    from academy.modules.trainer.views import bp as trainer_bp

    for blueprint in (
        accounts_bp,
        registration_bp,
        privacy_bp,
        courses_bp,
        quizzes_bp,
        certificates_bp,
        certificate_pdf_bp,
        credentials_bp,
        trainer_bp,
        centres_bp,
        api_bp,
        safety_bp,
        operations_bp,
    ):
        app.register_blueprint(blueprint)

    from academy.core import support
    from academy.modules.centres import services as centre_services
    from academy.modules.certificates import services as certificate_services

    certificate_services.connect_signals()
    centre_services.connect_signals()
    support.register_support_provider(app, centre_services.support_contacts_for)
    _register_data_rights(app)


def _register_data_rights(app: Flask) -> None:
    """Each feature tells core what it holds about a person (export), what must happen
    before an account is deleted (erase) and what it prunes (academy/core/data_rights.py)."""
    from academy.modules.accounts import privacy as accounts_privacy
    from academy.modules.centres import privacy as centres_privacy
    from academy.modules.certificates import privacy as certificates_privacy
    from academy.modules.progress import privacy as progress_privacy
    from academy.modules.quizzes import privacy as quizzes_privacy

    for feature in (
        accounts_privacy,
        progress_privacy,
        quizzes_privacy,
        certificates_privacy,
        centres_privacy,
    ):
        feature.register(app)


def _register_cli(app: Flask) -> None:
    from academy.cli import register_commands

    register_commands(app)
