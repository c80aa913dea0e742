"""One structured line per request: method, route rule, status, duration. Nothing else."""

from __future__ import annotations

import io
import json
import logging

import pytest

from academy.core import logging as request_logging
from academy.modules.accounts.models import Role


@pytest.fixture
def lines(caplog) -> list[dict]:
    """The request lines logged during the test, as the JSON formatter writes them."""
    caplog.set_level(logging.INFO, logger="academy.request")
    formatter = request_logging.JsonFormatter()

    class Lines(list):
        def refresh(self) -> list[dict]:
            self[:] = [
                json.loads(formatter.format(record))
                for record in caplog.records
                if record.name == "academy.request"
            ]
            return self

    return Lines()


def test_one_line_per_request_with_route_rule_status_and_duration(client, lines):
    client.get("/healthz")
    client.get("/verify/ABCD-EFGH-JKMN-PQRS-TVWX")
    client.get("/no/such/page?name=secret")
    logged = lines.refresh()
    assert len(logged) == 3
    assert [(line["method"], line["route"], line["status"]) for line in logged] == [
        ("GET", "/healthz", 200),
        ("GET", "/verify/<code>", 302),  # the rule, never the code itself
        ("GET", "<unmatched>", 404),
    ]
    for line in logged:
        assert set(line) == {"ts", "level", "logger", "method", "route", "status", "ms"}
        assert isinstance(line["ms"], float) and line["ms"] >= 0


def test_no_personal_data_in_request_lines(client, auth, make_user, lines):
    user = make_user(Role.TRAINEE, "ayo.private", "Ayo Private")
    auth.sign_in(user)
    client.get("/verify?code=ABCD-EFGH-JKMN-PQRS-TVWX", headers={"User-Agent": "AgentSmith"})
    client.post("/sign-in", data={"username": "ayo.private", "password": "wrong password!"})
    text = json.dumps(lines.refresh())
    for personal in ("ayo", "Private", "ABCD", "AgentSmith", "127.0.0.1", "wrong password"):
        assert personal.lower() not in text.lower()
    assert f'"{user.id}"' not in text and f":{user.id}," not in text


def test_error_pages_are_logged_too(app, client, lines):
    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("Ayo's secret")

    response = client.get("/boom-for-test")
    assert response.status_code == 500
    (line,) = [line for line in lines.refresh() if line["route"] == "/boom-for-test"]
    assert line["status"] == 500


def test_an_unknown_method_is_logged_as_other(client, lines):
    client.open("/healthz", method="BREW")
    (line,) = lines.refresh()
    assert line["method"] == "OTHER"


def test_json_logging_writes_one_object_per_line_and_hides_exception_text():
    stream = io.StringIO()
    request_logging.configure_json_logging(stream)
    request_logging.configure_json_logging(stream)  # idempotent: one handler
    log = logging.getLogger("academy.test")
    try:
        log.info("plain %s", "message")
        try:
            raise ValueError("ayo@example.org is not unique")
        except ValueError:
            log.exception("failed to save")
    finally:
        root = logging.getLogger("academy")
        for handler in list(root.handlers):
            if handler.get_name() == "academy-json":
                root.removeHandler(handler)
        root.propagate = True
        root.setLevel(logging.NOTSET)
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [r["msg"] for r in records] == ["plain message", "failed to save"]
    assert records[1]["exc_type"] == "ValueError"
    assert "ayo@example.org" not in stream.getvalue()


def test_the_development_server_logs_no_address_or_path(app, caplog):
    """`academy run` (werkzeug) would log '127.0.0.1 - - [...] "GET /verify?code=…"'."""
    import threading
    import urllib.request

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app)
    port = server.server_address[1]
    caplog.set_level(logging.DEBUG)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    urllib.request.urlopen(f"http://127.0.0.1:{port}/safety?code=ABCD-EFGH", timeout=10).close()
    thread.join(timeout=10)
    server.server_close()
    assert "GET /safety 200" in caplog.text  # the app's own line, by route
    assert "ABCD-EFGH" not in caplog.text and "127.0.0.1 - -" not in caplog.text
