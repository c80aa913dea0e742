"""``academy serve`` runs gunicorn with the production settings of gunicorn.conf.py."""

from __future__ import annotations

import runpy
import sys

import pytest
from click.testing import CliRunner

from academy.modules.operations import cli


@pytest.fixture
def settings(monkeypatch) -> dict:
    for name in ("ACADEMY_BIND", "ACADEMY_WORKERS", "ACADEMY_MAX_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    return runpy.run_path(str(cli.GUNICORN_CONFIG))


def test_production_settings(settings):
    assert settings["worker_class"] == "sync"
    assert settings["workers"] == settings["_cores"]() >= 1  # one per core
    assert settings["preload_app"] is True  # content rendered once, before the fork
    assert settings["bind"] == "127.0.0.1:8000"  # behind a proxy unless told otherwise
    assert settings["accesslog"] is None  # the app's structured line replaces it
    assert settings["timeout"] > 0 and settings["graceful_timeout"] > 0
    assert settings["max_requests"] > 0 < settings["max_requests_jitter"]


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("ACADEMY_BIND", "0.0.0.0:9000")
    monkeypatch.setenv("ACADEMY_WORKERS", "5")
    settings = runpy.run_path(str(cli.GUNICORN_CONFIG))
    assert settings["bind"] == "0.0.0.0:9000" and settings["workers"] == 5


def test_serve_replaces_itself_with_gunicorn(monkeypatch):
    calls = []
    monkeypatch.setattr(cli.os, "execv", lambda path, args: calls.append((path, args)))
    result = CliRunner().invoke(
        cli.serve_command, ["--workers", "3", "--bind", "127.0.0.1:8111", "--log-level", "debug"]
    )
    assert result.exit_code == 0, result.output
    ((path, args),) = calls
    assert path == sys.executable
    assert args[1:5] == ["-m", "gunicorn", "--config", str(cli.GUNICORN_CONFIG)]
    assert args[-1] == "academy:create_app()"
    assert "--workers" in args and "3" in args and "127.0.0.1:8111" in args
    assert args[-3:-1] == ["--log-level", "debug"]  # anything else goes to gunicorn


def test_serve_is_a_command_of_academy(monkeypatch):
    from academy import cli as academy_cli

    monkeypatch.setattr(sys, "argv", ["academy", "serve", "--help"])
    with pytest.raises(SystemExit) as exit_info:
        academy_cli.main()
    assert exit_info.value.code == 0


def test_gunicorn_serves_with_the_production_settings(tmp_path):
    """The real thing: `academy serve` boots gunicorn (preload, fork, engine disposal
    after the fork), answers /healthz and writes one JSON line per request."""
    import json
    import os
    import signal
    import socket
    import subprocess
    import time
    import urllib.request
    from pathlib import Path

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    academy = Path(sys.executable).with_name("academy")
    env = dict(os.environ) | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "ACADEMY_INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "serve-test-key",
    }
    # As `make serve` does: /healthz is 503 until the database has the schema.
    subprocess.run([str(academy), "init"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [str(academy), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        body = None
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and body is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    body = json.load(r)
            except OSError:
                assert server.poll() is None, server.stderr.read()
                time.sleep(0.2)
        assert body is not None and body["status"] == "ok"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        _, stderr = server.communicate(timeout=30)
    request_lines = [
        json.loads(line) for line in stderr.splitlines() if '"logger":"academy.request"' in line
    ]
    assert {"method": "GET", "route": "/healthz", "status": 200} == {
        key: request_lines[-1][key] for key in ("method", "route", "status")
    }
    assert "Booting worker" in stderr  # gunicorn forked its workers
