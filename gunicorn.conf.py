"""Production settings for gunicorn, read by ``academy serve`` and ``make serve``.

Every value can be changed through the environment (``ACADEMY_BIND``,
``ACADEMY_WORKERS``, ...) or on the command line (``academy serve --workers 4``).
docs/deploy.md explains the choices; docs/performance.md measures them.
"""

from __future__ import annotations

import gc
import os
import re


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Behind a reverse proxy on the same host; set ACADEMY_BIND=0.0.0.0:8000 (or a unix
# socket, "unix:/run/academy.sock") when the proxy runs elsewhere.
bind = os.environ.get("ACADEMY_BIND", "127.0.0.1:8000")

# Sync workers, one per core. Each request is short and CPU-bound (the database is
# close by); a thread pool per worker (gthread) spread connections unevenly on this
# kind of load and was slower. The reverse proxy buffers slow clients, so a sync
# worker is never held by one.
worker_class = "sync"
workers = _env_int("ACADEMY_WORKERS", _cores())

# Load the app (and render the curriculum) once in the master, then fork: workers
# start in milliseconds and share the rendered content's memory.
preload_app = True

# A request that takes longer than this is stuck; the worker is replaced.
timeout = _env_int("ACADEMY_WORKER_TIMEOUT", 30)
graceful_timeout = 30
# Recycle each worker after a number of requests, at staggered times, so that a slow
# leak (ours or a library's) can never grow without bound, and workers never restart
# all at once.
max_requests = _env_int("ACADEMY_MAX_REQUESTS", 20000)
max_requests_jitter = max_requests // 10

# gunicorn's access log would repeat every request with the client's address, path and
# user agent; the app writes one structured line per request without them instead. The
# logger class also keeps addresses and paths out of gunicorn's error log (malformed
# requests, failed ones) and writes no access line even if one is asked for.
accesslog = None
errorlog = "-"
loglevel = "info"
logger_class = "academy.modules.operations.server_logging.PrivateLogger"

# Heartbeat files on a RAM disk: on a slow or busy disk, a blocked heartbeat write can
# make the master kill healthy workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# Requests larger than this are refused before they reach Python.
limit_request_line = 4094
limit_request_fields = 100


def _control_socket_for(binds: list[str]) -> str:
    """One control socket per server, named after its listening address: gunicorn's
    default is one path per user, so a second server took over the first one's socket
    and ``gunicornc -c "show workers"`` listed the wrong server's workers."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    folder = runtime if runtime and os.path.isdir(runtime) else os.path.expanduser("~/.gunicorn")
    name = re.sub(r"[^A-Za-z0-9.]+", "-", "_".join(binds)).strip("-")
    return os.path.join(folder, f"academy-{name}.ctl")


def on_starting(server) -> None:  # noqa: ANN001 - gunicorn's Arbiter
    """Refuse several workers that would each count rate limits alone; give this
    server its own control socket unless one was chosen (``--control-socket``)."""
    from academy.core.limiter import unshared_counters_problem

    problem = unshared_counters_problem(server.app.wsgi().config, server.cfg.workers)
    if problem:
        raise RuntimeError(problem)  # gunicorn prints "Error: ..." and exits with 1
    if server.cfg.control_socket == server.cfg.settings["control_socket"].default:
        server.cfg.set("control_socket", _control_socket_for(server.cfg.bind))


def when_ready(server) -> None:  # noqa: ANN001 - gunicorn's Arbiter
    """Before the first fork: move everything loaded so far out of the garbage
    collector's sight, so collections in the workers do not write to (and so copy)
    the memory pages they share with the master."""
    gc.collect()
    gc.freeze()


def post_fork(server, worker) -> None:  # noqa: ANN001 - gunicorn's Arbiter and Worker
    """A forked worker must not use database connections the master opened: two
    processes on one socket corrupt each other's conversations."""
    from flask import Flask

    from academy.core.extensions import db

    app = server.app.wsgi()
    if isinstance(app, Flask) and "sqlalchemy" in app.extensions:
        with app.app_context():
            db.engine.dispose(close=False)
