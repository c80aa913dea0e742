"""The servers the benchmark starts (the app and the minimal Flask reference under gunicorn,
nginx for the static reference), the app's environment, a plain HTTP request to them, and
what they cost: CPU time (with the PostgreSQL backends') and memory from /proc."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from run_settings import BENCH, HOST, NGINX_PORT, OUT, PYTHON, ROOT, USER_AGENT

SERVERS: dict[int, Server] = {}  # by port, for the CPU accounting


class Server:
    def __init__(self, name: str, command: list[str], env: dict[str, str], port: int) -> None:
        self.name, self.port = name, port
        SERVERS[port] = self
        self.log = (OUT / f"{name}.log").open("w")
        self.process = subprocess.Popen(  # noqa: S603 - our own commands
            command, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, path: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} stopped; see {self.log.name}")
            try:
                status, _, _ = http_request(self.port, "GET", path)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"{self.name} did not answer {path} in {timeout} s")

    def worker_pids(self) -> list[int]:
        """gunicorn's workers: the master's children."""
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def cpu_seconds(self) -> float:
        """CPU time of the master and its workers, including workers that were recycled
        (their time moves to the master's children's time when it reaps them)."""
        total = _cpu_seconds(self.process.pid, children=True)
        return total + sum(_cpu_seconds(pid) for pid in self.worker_pids())

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int, children: bool = False) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # fields[11:15]: utime, stime, cutime, cstime (in clock ticks)
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICKS


def database_cpu_seconds(database_url: str) -> float:
    """CPU time of the PostgreSQL backends serving the benchmark's database (0 for
    SQLite, which runs inside the workers and is counted there)."""
    if not database_url.startswith("postgresql"):
        return 0.0
    name = database_url.rsplit("/", 1)[-1].split("?")[0]
    total = 0.0
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text.startswith("postgres: ") and f" {name} " in text:
            total += _cpu_seconds(int(cmdline.parent.name))
    return total


def memory_mb(pid: int) -> dict[str, float]:
    """Resident (RSS) and proportional (PSS: shared pages split between the processes
    sharing them) memory of one process, in MB."""
    values: dict[str, float] = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss", "Private_Dirty"):
                values[key.lower()] = int(rest.split()[0]) / 1024
    except OSError:
        pass
    return values


def gunicorn(name: str, app: str, port: int, env: dict[str, str], *extra: str) -> Server:
    command = [PYTHON, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"), *extra, app]
    return Server(name, command, env | {"ACADEMY_BIND": f"{HOST}:{port}"}, port)


def start_nginx(root: Path) -> Server:
    prefix = OUT / "nginx"
    shutil.rmtree(prefix, ignore_errors=True)
    prefix.mkdir(parents=True)
    template = (BENCH / "nginx.conf.template").read_text()
    config = template.format(workers=cores(), prefix=prefix, port=NGINX_PORT, root=root)
    (prefix / "nginx.conf").write_text(config)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    command = [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf")]
    return Server("nginx", command, dict(os.environ), NGINX_PORT)


def cores() -> int:
    return len(os.sched_getaffinity(0))


def http_request(
    port: int, method: str, path: str, body: str | None = None, headers: dict | None = None
) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        all_headers = {"User-Agent": USER_AGENT} | (headers or {})
        if body is not None:
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text
    finally:
        connection.close()


def app_environment(database_url: str) -> dict[str, str]:
    return dict(os.environ) | {
        "DATABASE_URL": database_url,
        "ACADEMY_CONTENT_DIR": str(ROOT / "content"),
        "ACADEMY_INSTANCE_PATH": str(OUT / "instance"),
        "SECRET_KEY": "benchmark-only-secret-key",
        # Behind one reverse proxy, as in production (docs/deploy.md): the client's
        # address comes from X-Forwarded-For, so rate limits apply per client.
        "ACADEMY_PROXY_FIX": "1",
        "ACADEMY_WORKERS": str(cores()),
        # Several workers count rate limits in Redis (academy serve refuses them otherwise).
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
    }
