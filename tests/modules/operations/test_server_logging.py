"""gunicorn's own log names no client address, path or query (docs/privacy.md).

gunicorn logs a malformed request as "Invalid request from ip=<address>: Invalid HTTP
request line: '<the request line>'", and a failed one as "Error handling request GET
<path>?<query>" with a traceback. Run for real: `academy serve`, malformed requests from
another loopback address, and the whole of gunicorn's output searched.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from gunicorn.config import Config

from academy.modules.operations.server_logging import PrivateLogger, invalid_request_kind

CODE = "ABCD-EFGH-JKMN-PQRS-TVWX"
CLIENT = "127.0.0.2"  # a loopback address of its own, so the log can be searched for it
MALFORMED = [
    f"GET /verify?code={CODE} HTTP/9.9\r\n\r\n".encode(),
    f"GET /api/v1/certificates/{CODE}\x01 HTTP/1.1\r\n\r\n".encode(),
    f"BR@W /verify/{CODE} HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
    f"GET /verify?code={CODE} HTTP/1.1\r\nBad{CODE}Header\r\n\r\n".encode(),
    b"GET /" + CODE.encode() * 300 + b" HTTP/1.1\r\n\r\n",  # over limit_request_line
]


def free_port() -> int:
    """A free port; within ACADEMY_TEST_PORTS ("8400-8499") when a shared machine says so."""
    low, _, high = os.environ.get("ACADEMY_TEST_PORTS", "0-0").partition("-")
    for port in range(int(low), int(high) + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise RuntimeError("no free port in ACADEMY_TEST_PORTS")


def send_from_other_address(port: int, data: bytes) -> bytes:
    with socket.socket() as client:
        client.bind((CLIENT, 0))
        client.settimeout(10)
        client.connect(("127.0.0.1", port))
        client.sendall(data)
        return client.recv(4096)


def test_gunicorn_logs_no_address_path_or_query_for_malformed_requests(tmp_path):
    port = free_port()
    academy = Path(sys.executable).with_name("academy")
    env = dict(os.environ) | {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "ACADEMY_INSTANCE_PATH": str(tmp_path / "instance"),
        "SECRET_KEY": "serve-test-key",
    }
    server = subprocess.Popen(
        [str(academy), "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/safety", timeout=5).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        answers = [send_from_other_address(port, request) for request in MALFORMED]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        _, stderr = server.communicate(timeout=30)

    assert all(answer.startswith((b"HTTP/1.1 400", b"HTTP/1.1 414")) for answer in answers)
    refused = [line for line in stderr.splitlines() if "invalid request refused" in line]
    assert len(refused) == len(MALFORMED), stderr
    assert any(line.endswith("invalid request refused: Invalid HTTP Version") for line in refused)
    for secret in (CODE, CODE.lower(), CLIENT, "ip=", "/verify", "/api/", "BR@W"):
        assert secret not in stderr, f"{secret!r} in gunicorn's log:\n{stderr}"


def test_a_request_gunicorn_fails_is_logged_without_uri_or_traceback(tmp_path):
    config = Config()
    config.set("errorlog", str(tmp_path / "error.log"))
    logger = PrivateLogger(config)
    try:
        try:
            raise KeyError(CODE)
        except KeyError:
            # what gunicorn.workers.base.Worker.handle_error calls
            logger.exception("Error handling request %s %s", "GET", f"/verify?code={CODE}")
        logger.debug("Ignored premature client disconnection. %s", OSError(f"after {CODE}"))
        logger.access(None, None, {"REMOTE_ADDR": CLIENT, "PATH_INFO": f"/verify/{CODE}"}, 0)
    finally:
        for handler in logging.getLogger("gunicorn.error").handlers:
            handler.flush()
    written = (tmp_path / "error.log").read_text()
    assert "error handling a request: KeyError" in written
    assert CODE not in written and "Traceback" not in written and CLIENT not in written


def test_the_kind_of_a_malformed_request_keeps_gunicorns_words_only():
    assert invalid_request_kind("Invalid HTTP request line: 'GET /x?code=1'") == (
        "Invalid HTTP request line"
    )
    assert invalid_request_kind("Proxy request from '10.1.2.3' not allowed") == (
        "Proxy request from"
    )
    assert invalid_request_kind("'quoted first'") == "unreadable request"
