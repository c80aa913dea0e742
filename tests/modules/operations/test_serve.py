"""``academy serve`` runs gunicorn with the production settings of gunicorn.conf.py."""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from academy.core.config import DEFAULTS
from academy.core.limiter import unshared_counters_problem
from academy.modules.operations import cli
from tests.live_servers import ACADEMY, AppServer


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


def serve_environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a server on its own SQLite file, initialised as `make serve`
    does it (/healthz is 503 until the database has the schema)."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "ACADEMY_INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "serve-test-key",
        "XDG_RUNTIME_DIR": str(tmp_path),  # where gunicorn puts the control sockets
        **extra,
    }
    subprocess.run([str(ACADEMY), "init"], env=env, check=True, capture_output=True)
    return env


def test_gunicorn_serves_with_the_production_settings(tmp_path):
    """The real thing: `academy serve` boots gunicorn (preload, fork, engine disposal
    after the fork), answers /healthz and writes one JSON line per request."""
    server = AppServer(serve_environment(tmp_path), tmp_path / "serve.log", 1)
    try:
        assert server.wait_ready()["status"] == "ok"
    finally:
        server.stop()
    output = server.output()
    request_lines = [
        json.loads(line) for line in output.splitlines() if '"logger":"academy.request"' in line
    ]
    assert {"method": "GET", "route": "/healthz", "status": 200} == {
        key: request_lines[-1][key] for key in ("method", "route", "status")
    }
    assert "Booting worker" in output  # gunicorn forked its worker


@pytest.mark.parametrize(
    ("workers", "settings", "refused"),
    [
        (1, {}, False),
        (2, {}, True),
        (4, {}, True),
        (4, {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}, False),
        (4, {"RATELIMIT_ENABLED": False}, False),
    ],
)
def test_several_workers_need_shared_counters(workers, settings, refused):
    config = {"RATELIMIT_STORAGE_URI": DEFAULTS["RATELIMIT_STORAGE_URI"], "RATELIMIT_ENABLED": True}
    problem = unshared_counters_problem(config | settings, workers)
    assert (problem is not None) == refused
    if refused:
        assert f"{workers} workers" in problem and "Set REDIS_URL" in problem


def test_serve_refuses_several_workers_without_redis_and_says_what_to_set(tmp_path):
    server = AppServer(serve_environment(tmp_path), tmp_path / "serve.log", 2)
    try:
        exit_code = server.process.wait(timeout=60)
    finally:
        server.stop()
    output = server.output()
    assert exit_code == 1, output
    assert "2 workers would each count the rate limits on their own" in output
    assert "Set REDIS_URL" in output and "--workers 1" in output
    assert "Booting worker" not in output  # refused before any worker started


def test_each_server_gets_its_own_control_socket(tmp_path):
    """gunicorn's default control socket is one per user: a second server took it over,
    and `show workers` listed the other server's workers."""
    env = serve_environment(tmp_path)
    servers = [AppServer(env, tmp_path / f"serve-{n}.log", 1) for n in (1, 2)]
    try:
        for server in servers:
            server.wait_ready()
        for server in servers:
            socket_path = tmp_path / f"academy-127.0.0.1-{server.port}.ctl"
            workers = server.control("show workers", str(socket_path))["workers"]
            assert len(workers) == 1
            assert [parent_pid(worker["pid"]) for worker in workers] == [server.process.pid]
    finally:
        for server in servers:
            server.stop()


def parent_pid(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])
