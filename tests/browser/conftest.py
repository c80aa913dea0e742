"""A live Peer Academy on 127.0.0.1 with the real curriculum, driven by Debian's Chromium.

Set ACADEMY_REQUIRE_BROWSER=1 (CI does) to fail instead of skip when Chromium is missing.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from academy import create_app
from academy.core.config import PROJECT_ROOT
from academy.core.extensions import db
from academy.modules.accounts import services as accounts
from academy.modules.accounts.models import Role
from tests.browser.helpers import CHROMIUM, PASSWORD
from tests.live_servers import neutral_exit_site

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"

if not Path(CHROMIUM).exists():
    if os.environ.get("ACADEMY_REQUIRE_BROWSER"):
        raise RuntimeError("Chromium is required for the browser tests: apt-get install chromium")
    pytest.skip("Chromium is not installed (apt-get install chromium)", allow_module_level=True)


def _serve_in_thread(server) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return thread


@pytest.fixture(scope="session")
def exit_site():
    with neutral_exit_site() as url:
        yield url


@pytest.fixture(scope="session")
def live_app(tmp_path_factory, exit_site):
    folder = tmp_path_factory.mktemp("browser")
    app = create_app(
        {
            "SECRET_KEY": "browser-tests",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'academy.sqlite3'}",
            "ACADEMY_CONTENT_DIR": str(PROJECT_ROOT / "content"),
            "ACADEMY_INSTANCE_PATH": str(folder),
            "ACADEMY_KEY_DIR": str(folder / "keys"),
            "ACADEMY_EXIT_URL": exit_site,
            "ACADEMY_SECURE_COOKIES": False,
            "SESSION_COOKIE_SECURE": False,
            "RATELIMIT_ENABLED": False,
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_COST": 8,
        }
    )
    with app.app_context():
        db.create_all()
        for name, role in (("peer-one", Role.TRAINEE), ("peer-two", Role.TRAINEE)):
            accounts.create_user(name, PASSWORD, role, display_name=name.replace("-", " ").title())
        accounts.create_user("trainer-one", PASSWORD, Role.TRAINER, "Trainer One")
        db.session.commit()
    return app


@pytest.fixture(scope="session")
def base_url(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    _serve_in_thread(server)
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(params=sorted(VIEWPORTS))
def page(request, browser, base_url):
    context = browser.new_context(viewport=VIEWPORTS[request.param], base_url=base_url)
    page = context.new_page()
    page.viewport_name = request.param
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """Serious and critical axe-core violations on the current page."""
    page.evaluate(AXE.read_text())  # evaluated through DevTools, so the page's CSP allows it
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def pytest_collection_modifyitems(items):
    # The threaded test server leaves browsers' keep-alive sockets for the garbage collector;
    # that is the server's housekeeping, not a fault of the app under test.
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.filterwarnings("ignore::ResourceWarning"))
            item.add_marker(
                pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
            )
