"""Real ``academy serve`` processes (gunicorn) for tests of the app as deployed.

Ports come from ``ACADEMY_TEST_PORTS`` (``first-last``, default 8100-8899), so tests on a
shared machine stay inside the range they were given; each pytest-xdist worker takes its
own share of it.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ACADEMY = Path(sys.executable).with_name("academy")
GUNICORNC = Path(sys.executable).with_name("gunicornc")


_handed_out: set[int] = set()


def ports_of_this_worker() -> tuple[int, int]:
    """``ACADEMY_TEST_PORTS``, or under pytest-xdist this worker's share of it: two workers
    never probe the same port, so neither takes one the other was just given."""
    first, last = (int(n) for n in os.environ.get("ACADEMY_TEST_PORTS", "8100-8899").split("-"))
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return first, last
    share = (last - first + 1) // int(os.environ["PYTEST_XDIST_WORKER_COUNT"])
    start = first + int(worker[2:]) * share
    return start, start + share - 1


def free_port() -> int:
    """A port of ``ACADEMY_TEST_PORTS`` nothing listens on and not handed out before (a
    server given one may not be listening yet)."""
    first, last = ports_of_this_worker()
    for port in range(first, last + 1):
        if port in _handed_out:
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError(f"no free port in {first}-{last}")


class AppServer:
    """``academy serve --bind 127.0.0.1:PORT --workers N`` in its own process group; its
    standard error goes to ``log`` (a pipe nobody reads would fill up and stall it)."""

    def __init__(self, env: dict[str, str], log: Path, workers: int, *extra: str) -> None:
        self.port = free_port()
        self.log = log
        self._log_file = log.open("w")
        self.process = subprocess.Popen(
            [str(ACADEMY), "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)]
            + list(extra),
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self, seconds: float = 60) -> dict:
        """Wait for ``/healthz``; fail with gunicorn's output if the server died."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as response:
                    return json.load(response)
            except OSError:
                if self.process.poll() is not None:
                    raise AssertionError(f"academy serve stopped:\n{self.output()}") from None
                time.sleep(0.2)
        raise AssertionError(f"academy serve did not answer in {seconds} s:\n{self.output()}")

    def output(self) -> str:
        if not self._log_file.closed:
            self._log_file.flush()
        return self.log.read_text()

    def control(self, command: str, socket_path: str) -> dict:
        completed = subprocess.run(
            [str(GUNICORNC), "-s", socket_path, "-c", command, "-j"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return json.loads(completed.stdout)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log_file.close()


class NeutralPage(BaseHTTPRequestHandler):
    """Stands in for the operator's harmless exit site, so no test leaves this machine."""

    def do_GET(self):  # noqa: N802 (the http.server API)
        body = b"<!doctype html><title>Weather</title><h1>Weather today</h1>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def neutral_exit_site() -> Iterator[str]:
    """The address of a ``NeutralPage`` server for as long as the block runs."""
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), NeutralPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
