"""``make bench``: every page against the two references, measured side by side.

1. Makes (or reuses) the data set of bench/generate.py.
2. Starts the app under gunicorn with the production settings (gunicorn.conf.py: sync
   workers, one per core, --preload) on 127.0.0.1, behind one trusted proxy
   (ACADEMY_PROXY_FIX=1) so that X-Forwarded-For can stand for many clients.
3. Starts the references: a minimal Flask app under the same gunicorn settings returning
   the lesson page's bytes (the ceiling for this stack), and nginx serving the same bytes
   as a static file (the physical limit).
4. Drives each endpoint with wrk (32 connections, 2 threads) for DURATION seconds,
   RUNS times, interleaved, and prints the medians: requests/s, p50, p99, and the ratio
   to both references. Results go to bench/out/results-<backend>.json and .md.

``--soak MINUTES`` instead runs the mixed workload for that long, in one-minute rounds,
and reports errors and the workers' memory after each round.

All traffic stays on 127.0.0.1; every loop is bounded by its duration.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
OUT = BENCH / "out"
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

import generate  # noqa: E402 - bench/ is not a package
import generate_plan  # noqa: E402
import generate_settings  # noqa: E402
import generate_users  # noqa: E402

HOST = "127.0.0.1"
APP_PORT, REFERENCE_PORT, NGINX_PORT = 8471, 8472, 8473
USER_AGENT = "peer-academy-bench"  # the same for sign-in and wrk: sessions are bound to it
CONNECTIONS, THREADS = 32, 2
VERIFY_CLIENTS = 20_000  # distinct client addresses the verification load comes from
SUBMISSION_POOL_RATE = 1500  # attempts opened per second of measurement (more than sent)
POOL_ACCOUNT = "pool-trainee-"  # session.cookies keys of the submission pool's trainees
LUA = BENCH / "lua" / "requests.lua"
PYTHON = sys.executable

# Targets from the issue, checked in the printed table.
TARGETS = {
    "lesson": {"ratio_flask": 0.50, "p99_ms": 20},
    "verify-api": {"ratio_flask": 0.60, "p99_ms": 10},
    "dashboard": {"p99_ms": 50},
    "certificates": {"p99_ms": 50},
    "matrix": {"p99_ms": 50},
    "matrix-csv": {"p99_ms": 50},
    "quiz-submit": {"p99_ms": 50, "postgresql_only": True},
}
GERMAN_LESSON_CPU_RATIO = 1.10  # issue 16: the lesson in German at most 10 % more CPU
MEMORY_TARGET_MB = 150
STARTUP_TARGET_S = 1.5


@dataclass
class Endpoint:
    name: str
    title: str
    port: int
    requests: Callable[[Session], list[str]]  # lines for requests.lua
    signed_in: str | None = None  # the account whose cookie is sent
    xff: str = ""  # BENCH_XFF
    pool: bool = False  # quiz attempts: fresh ones before each measurement


@dataclass
class Result:
    requests: int
    duration_us: int
    p50_us: int
    p90_us: int
    p99_us: int
    max_us: int
    errors: int
    wrapped: int
    cpu_ms: float = 0.0  # CPU time of the server (and its database) per request

    @property
    def rps(self) -> float:
        return self.requests / (self.duration_us / 1e6)


@dataclass
class Session:
    """What the benchmark knows about the running app: accounts, cookies, data."""

    database_url: str
    cookies: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (cookie, xff)
    codes: list[str] = field(default_factory=list)
    lesson_path: str = ""
    sign_ins: int = 0


# --- processes -----------------------------------------------------------------------------


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


# --- HTTP as a browser would do it, for signing in ----------------------------------------


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


def _cookie(headers: dict[str, str]) -> str | None:
    match = re.search(r"academy_session=([^;]+)", headers.get("set-cookie", ""))
    return match.group(1) if match else None


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    if match is None:
        raise SystemExit("no CSRF token in the page")
    return match.group(1)


def sign_in(session: Session, account: str, username: str) -> tuple[str, str]:
    """A real sign-in (form, CSRF token, argon2 check), from an address of its own:
    each sign-in counts against the sign-in rate limit of its address."""
    session.sign_ins += 1
    xff = f"127.250.{session.sign_ins // 256 % 256}.{session.sign_ins % 256}"
    headers = {"X-Forwarded-For": xff}
    status, got, page = http_request(APP_PORT, "GET", "/sign-in", headers=headers)
    cookie = _cookie(got)
    form = urlencode(
        {
            "csrf_token": csrf_token(page),
            "username": username,
            "password": generate_settings.BENCH_PASSWORD,
        }
    )
    status, got, _ = http_request(
        APP_PORT, "POST", "/sign-in", form, headers | {"Cookie": f"academy_session={cookie}"}
    )
    signed_in = _cookie(got)
    if status != 302 or signed_in is None:
        raise SystemExit(f"signing in as {username} failed ({status})")
    session.cookies[account] = (signed_in, xff)
    # The first page with a form puts the CSRF secret into the session (a new cookie);
    # a browser keeps that cookie, so wrk must send it too.
    get_signed_in(session, account, "/account")
    return session.cookies[account]


def get_signed_in(session: Session, account: str, path: str) -> str:
    cookie, xff = session.cookies[account]
    headers = {"Cookie": f"academy_session={cookie}", "X-Forwarded-For": xff}
    status, got, page = http_request(APP_PORT, "GET", path, headers=headers)
    if status != 200:
        raise SystemExit(f"GET {path} as {account} gave {status}, not 200")
    renewed = _cookie(got)
    if renewed is not None:
        session.cookies[account] = (renewed, xff)
    return page


# --- what each endpoint sends --------------------------------------------------------------


def line(method: str, path: str, cookie: str = "-", address: str = "", body: str = "") -> str:
    """One request for requests.lua (see its header for the fields)."""
    return f"{method}\t{path}\t{cookie}\t{address}\t{body}"


def lines_get(paths: list[str]) -> list[str]:
    return [line("GET", path) for path in paths]


def lines_signed_in(session: Session, account: str, paths: list[str]) -> list[str]:
    index = str(list(session.cookies).index(account))
    address = session.cookies[account][1]
    return [line("GET", path, index, address) for path in paths]


def lines_in_german(session: Session) -> list[str]:
    """The learner's lesson read in German: the same session with the language cookie the
    switcher sets (the bench learner's account has no language of its own)."""
    cookie, address = session.cookies["learner"]
    session.cookies["learner-de"] = (f"{cookie}; language=de", address)
    return lines_signed_in(session, "learner-de", [session.lesson_path])


def format_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, 20, 4))


def submission_pool(session: Session, seconds: float) -> list[str]:
    """Open one quiz attempt for each of enough trainees (as the quiz page would: drawn
    questions, not submitted) and return one complete answer sheet per attempt.

    A trainee has at most one open attempt per quiz (a unique index), so every sheet
    belongs to another trainee of the data set; each gets a signed-in session cookie made
    with the app's own session machinery (a sign-in per trainee would take minutes of
    argon2). 70 % of the sheets are right: a pass records progress and may complete the
    module and issue its certificate; the others are recorded as failed attempts.
    """
    import sqlalchemy as sa

    from academy.core.catalogue import current_catalogue
    from academy.core.extensions import db
    from academy.modules.accounts.models import Role, User
    from academy.modules.quizzes import pacing
    from academy.modules.quizzes import services as quizzes
    from academy.modules.quizzes.models import QuizAttempt

    count = int(SUBMISSION_POOL_RATE * seconds) + 500
    app = generate.bench_app(session.database_url)
    rng = random.Random(time.time_ns())  # noqa: S311 - which sheets are right, not secrets
    for account in [name for name in session.cookies if name.startswith(POOL_ACCOUNT)]:
        del session.cookies[account]  # the last round's trainees
    with app.app_context():
        module = current_catalogue().modules[generate_settings.QUIZ_MODULE]
        open_attempt = sa.exists().where(
            QuizAttempt.user_id == User.id,
            QuizAttempt.module_slug == module.slug,
            QuizAttempt.module_version == module.version,
            QuizAttempt.submitted_at.is_(None),
        )
        trainees = db.session.scalars(
            sa.select(User)
            .where(User.role == Role.TRAINEE.value, User.username.like("trainee-%"), ~open_attempt)
            .order_by(sa.func.random())
            .limit(count)
        ).all()
        # one who must wait after failures in a row (pacing) could not have opened it
        trainees = [trainee for trainee in trainees if pacing.wait_for(trainee.id, module) is None]
        rows = [
            {
                "user_id": trainee.id,
                "module_slug": module.slug,
                "module_version": module.version,
                "question_ids": quizzes.draw_questions(module.quiz),
                "started_at": datetime.now(UTC).replace(tzinfo=None),
            }
            for trainee in trainees
        ]
        attempt_ids = list(
            db.session.execute(
                sa.insert(QuizAttempt.__table__).returning(QuizAttempt.__table__.c.id), rows
            ).scalars()
        )
        db.session.commit()
        db.engine.dispose()
    sheets = signed_in_cookies(app, trainees)  # each in an app context of its own
    lines = []
    for number, (trainee, row, attempt_id) in enumerate(
        zip(trainees, rows, attempt_ids, strict=True)
    ):
        account = f"{POOL_ACCOUNT}{trainee.id}"
        cookie, token = sheets[trainee.id]
        address = f"127.251.{number // 256 % 256}.{number % 256}"
        session.cookies[account] = (cookie, address)
        right = rng.random() < 0.7
        fields = [("csrf_token", token)]
        for qid in row["question_ids"]:
            question = module.quiz.question(qid)
            chosen = generate_plan.sheet_answer(question, right)
            fields += [(f"answer-{qid}", option) for option in chosen]
        lines.append((account, attempt_id, address, urlencode(fields)))
    index = {account: str(position) for position, account in enumerate(session.cookies)}
    return [
        line("POST", f"/quiz/attempts/{attempt_id}", index[account], address, body)
        for account, attempt_id, address, body in lines
    ]


def signed_in_cookies(app, trainees: list) -> dict[int, tuple[str, str]]:  # noqa: ANN001
    """Each trainee's session cookie and CSRF form token, as a sign-in and a first page
    with a form would leave them (the server shares the benchmark's SECRET_KEY)."""
    from flask import session as flask_session
    from flask_login import login_user
    from flask_wtf.csrf import generate_csrf

    serializer = app.session_interface.get_signing_serializer(app)
    made = {}
    for trainee in trainees:
        with app.test_request_context("/"):
            login_user(trainee)
            token = generate_csrf()
            made[trainee.id] = (serializer.dumps(dict(flask_session)), token)
    return made


def endpoints() -> list[Endpoint]:
    def signed(account: str, path: str) -> Callable[[Session], list[str]]:
        return lambda s: lines_signed_in(s, account, [path])

    return [
        Endpoint(
            "catalogue",
            "Catalogue /modules (new trainee)",
            APP_PORT,
            signed("new", "/modules"),
            "new",
        ),  # fmt: skip
        Endpoint(
            "lesson",
            "Lesson page (signed in)",
            APP_PORT,
            lambda s: lines_signed_in(s, "learner", [s.lesson_path]),
            "learner",
        ),  # fmt: skip
        Endpoint(
            "lesson-de",
            "Lesson page in German (signed in)",
            APP_PORT,
            lines_in_german,
            "learner",
        ),  # fmt: skip
        Endpoint(
            "quiz-page",
            "Quiz page (signed in)",
            APP_PORT,
            signed("learner", f"/modules/{generate_settings.LEARNER_MODULE}/quiz"),
            "learner",
        ),  # fmt: skip
        Endpoint(
            "quiz-submit",
            "Quiz submission (POST, graded, recorded)",
            APP_PORT,
            lambda s: [],
            None,  # each sheet comes with its own trainee's session (submission_pool)
            pool=True,
        ),  # fmt: skip
        Endpoint(
            "verify-page",
            "Verification page /verify?code=",
            APP_PORT,
            lambda s: lines_get([f"/verify?code={format_code(c)}" for c in s.codes]),
            xff=f"pool:{VERIFY_CLIENTS}",
        ),  # fmt: skip
        Endpoint(
            "verify-api",
            "Verification API /api/v1/certificates/<code>",
            APP_PORT,
            lambda s: lines_get([f"/api/v1/certificates/{c}" for c in s.codes]),
            xff=f"pool:{VERIFY_CLIENTS}",
        ),  # fmt: skip
        Endpoint(
            "dashboard",
            "Dashboard /modules (all modules done)",
            APP_PORT,
            signed("graduate", "/modules"),
            "graduate",
        ),  # fmt: skip
        Endpoint(
            "certificates",
            "Dashboard /certificates",
            APP_PORT,
            signed("graduate", "/certificates"),
            "graduate",
        ),  # fmt: skip
        Endpoint(
            "matrix",
            "Clearance matrix page (200 peers x 10 tasks, 25 a page)",
            APP_PORT,
            signed("coordinator", "/centre/matrix"),
            "coordinator",
        ),  # fmt: skip
        Endpoint(
            "matrix-csv",
            "Clearance matrix, all 200 peers x 10 tasks (CSV)",
            APP_PORT,
            signed("coordinator", "/centre/matrix.csv"),
            "coordinator",
        ),  # fmt: skip
        Endpoint(
            "ref-flask",
            "Reference: minimal Flask, same bytes",
            REFERENCE_PORT,
            lambda s: lines_get(["/lesson"]),
        ),  # fmt: skip
        Endpoint(
            "ref-nginx",
            "Reference: nginx, static file",
            NGINX_PORT,
            lambda s: lines_get(["/lesson.html"]),
        ),  # fmt: skip
    ]


# --- measuring -----------------------------------------------------------------------------


def write_lines(name: str, lines: list[str]) -> Path:
    path = OUT / "requests" / f"{name}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def measure(session: Session, endpoint: Endpoint, seconds: float) -> Result:
    if endpoint.signed_in is not None:
        # A fresh sign-in per measurement: a session cookie that wrk replays for longer
        # than a minute would be re-issued on every response (the idle clock moves).
        sign_in(session, endpoint.signed_in, ACCOUNTS[endpoint.signed_in])
    lines = submission_pool(session, seconds) if endpoint.pool else endpoint.requests(session)
    requests_file = write_lines(endpoint.name, lines)
    cookies_file = write_lines("cookies", [cookie for cookie, _ in session.cookies.values()])
    env = dict(os.environ) | {
        "BENCH_REQUESTS": str(requests_file),
        "BENCH_COOKIES": str(cookies_file),
        "BENCH_XFF": endpoint.xff,
        "BENCH_THREADS": str(THREADS),
    }
    server = SERVERS[endpoint.port]
    cpu_before = server.cpu_seconds() + database_cpu_seconds(session.database_url)
    command = [
        "wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{round(seconds)}s", "--timeout", "10s",
        "-s", str(LUA), f"http://{HOST}:{endpoint.port}",
    ]  # fmt: skip
    completed = subprocess.run(  # noqa: S603 - wrk, fixed arguments
        command, env=env, capture_output=True, text=True, check=False, timeout=seconds + 60
    )
    match = re.search(r"BENCH_RESULT (\{.*\})", completed.stdout)
    if completed.returncode != 0 or match is None:
        raise SystemExit(f"wrk failed for {endpoint.name}:\n{completed.stdout}\n{completed.stderr}")
    cpu = server.cpu_seconds() + database_cpu_seconds(session.database_url) - cpu_before
    data = json.loads(match.group(1))
    errors = sum(data[k] for k in ("connect_errors", "read_errors", "write_errors",
                                   "status_errors", "timeouts"))  # fmt: skip
    return Result(
        data["requests"], data["duration_us"], data["p50_us"], data["p90_us"], data["p99_us"],
        data["max_us"], errors, data["wrapped"], 1000 * cpu / max(1, data["requests"]),
    )  # fmt: skip


SERVERS: dict[int, Server] = {}  # by port, for the CPU accounting


ACCOUNTS = generate_users.NamedAccounts(0, 0, 0, 0, ()).usernames


def prepare_session(database_url: str) -> Session:
    import sqlalchemy as sa

    from academy.core.catalogue import current_catalogue
    from academy.core.extensions import db

    session = Session(database_url)
    app = generate.bench_app(database_url)
    with app.app_context():
        rng = random.Random(7)  # noqa: S311 - a sample of codes, not secrets
        total = db.session.scalar(sa.text("SELECT max(id) FROM certificates"))
        picked = sorted(rng.sample(range(1, total + 1), min(20_000, total)))
        rows = db.session.execute(
            sa.text("SELECT id, code FROM certificates WHERE revoked_at IS NULL")
        )
        wanted = set(picked)
        session.codes = [code for id_, code in rows if id_ in wanted]
        rng.shuffle(session.codes)
        module = current_catalogue().modules[generate_settings.LEARNER_MODULE]
        # a lesson the learner has not studied yet: the page with the "studied" form
        lesson = module.lessons[len(module.lessons) // 2]
        session.lesson_path = f"/modules/{module.slug}/lessons/{lesson.slug}"
        db.engine.dispose()
    # Every account signs in once now, so the cookie file's order is fixed.
    for account, username in ACCOUNTS.items():
        sign_in(session, account, username)
    return session


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


# --- start-up -------------------------------------------------------------------------------


def startup_seconds(content_dir: Path, instance: Path) -> tuple[float, int]:
    """Seconds to create the app (load the content, render what the instance folder's
    content cache lacks) in a fresh process."""
    code = (
        "import time, sys; t = time.perf_counter(); from academy import create_app; "
        f"app = create_app({{'SQLALCHEMY_DATABASE_URI': 'sqlite://', 'SECRET_KEY': 'x', "
        f"'ACADEMY_CONTENT_DIR': {str(content_dir)!r}, "
        f"'ACADEMY_INSTANCE_PATH': {str(instance)!r}}}); "
        "from academy.core.catalogue import EXTENSION_KEY; "
        "print(time.perf_counter() - t, len(app.extensions[EXTENSION_KEY].modules))"
    )
    completed = subprocess.run(  # noqa: S603 - our own interpreter
        [PYTHON, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
        env=dict(os.environ) | {"ACADEMY_INSTANCE_PATH": str(instance)},
    )  # fmt: skip
    seconds, modules = completed.stdout.split()[-2:]
    return float(seconds), int(modules)


def startup_cold_and_warm(content_dir: Path, warm_runs: int = 3) -> tuple[float, float, int]:
    """A first start with an empty instance folder (everything rendered and cached), then
    the median of restarts with the content unchanged (what a deploy or a recycled
    worker sees)."""
    with tempfile.TemporaryDirectory() as folder:
        cold, modules = startup_seconds(content_dir, Path(folder))
        warm = [startup_seconds(content_dir, Path(folder))[0] for _ in range(warm_runs)]
    return cold, statistics.median(warm), modules


def content_of(modules: int) -> Path:
    """A content folder with ``modules`` modules: copies of the real ones, renamed."""
    target = OUT / f"content-{modules}"
    if target.exists() and len(list(target.glob("*/module.md"))) == modules:
        return target
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ROOT / "content", target)
    originals = sorted(p.parent for p in (ROOT / "content").glob("*/module.md"))
    number = 0
    while len(list(target.glob("*/module.md"))) < modules:
        number += 1
        for original in originals:
            if len(list(target.glob("*/module.md"))) >= modules:
                break
            shutil.copytree(original, target / f"{original.name}-copy-{number}")
    return target


# --- reporting ------------------------------------------------------------------------------


def median_result(results: list[Result]) -> dict[str, float]:
    return {
        "rps": statistics.median(r.rps for r in results),
        "p50_ms": statistics.median(r.p50_us for r in results) / 1000,
        "p99_ms": statistics.median(r.p99_us for r in results) / 1000,
        "cpu_ms": statistics.median(r.cpu_ms for r in results),
        "errors": sum(r.errors for r in results),
        "pool_wrapped": sum(r.wrapped for r in results),
        "runs_rps": [round(r.rps, 1) for r in results],
    }


def target_verdict(name: str, row: dict, backend: str) -> str:
    target = TARGETS.get(name)
    if target is None:
        return ""
    if target.get("postgresql_only") and backend != "postgresql":
        return f"(target p99 ≤ {target['p99_ms']} ms on PostgreSQL)"
    checks = []
    if "ratio_flask" in target:
        ok = row["ratio_flask"] >= target["ratio_flask"]
        checks.append(f"{'met' if ok else 'MISSED'} ≥{target['ratio_flask']:.0%} of Flask")
    ok = row["p99_ms"] <= target["p99_ms"]
    checks.append(f"{'met' if ok else 'MISSED'} p99 ≤ {target['p99_ms']} ms")
    return "; ".join(checks)


def report(backend: str, rows: dict[str, dict], extra: dict, titles: dict[str, str]) -> str:
    flask, nginx = rows["ref-flask"]["rps"], rows["ref-nginx"]["rps"]
    header = (
        "| endpoint | req/s | p50 ms | p99 ms | vs Flask | vs nginx | CPU ms/req | errors "
        "| target |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    )
    lines = [header]
    for name, row in rows.items():
        row["ratio_flask"] = row["rps"] / flask
        row["ratio_nginx"] = row["rps"] / nginx
        lines.append(
            f"| {titles[name]} | {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | "
            f"{row['ratio_flask']:.0%} | {row['ratio_nginx']:.1%} | {row['cpu_ms']:.2f} | "
            f"{row['errors']} | "
            f"{target_verdict(name, row, backend)} |"
        )
    lines.append("")
    if "lesson" in rows and "lesson-de" in rows:
        ratio = rows["lesson-de"]["cpu_ms"] / rows["lesson"]["cpu_ms"]
        verdict = "met" if ratio <= GERMAN_LESSON_CPU_RATIO else "MISSED"
        lines.append(
            f"- German lesson page: {ratio:.2f} times the English page's CPU per request "
            f"({verdict} ≤ {GERMAN_LESSON_CPU_RATIO})"
        )
    lines += [f"- {key}: {value}" for key, value in extra.items()]
    return "\n".join(lines)


# --- main ---------------------------------------------------------------------------------


def run_benchmark(args: argparse.Namespace) -> None:
    database_url, key = generate.ensure_dataset(args.database_url)
    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    for tool in ("wrk", "nginx"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} is missing: apt-get install -y wrk nginx-light")
    env = app_environment(database_url)
    if args.soak:
        # Workers are normally recycled every ~20,000 requests, which would hide a leak
        # within the soak's minutes: here each worker serves the whole run.
        env["ACADEMY_MAX_REQUESTS"] = "0"
    servers: list[Server] = []
    try:
        app_server = gunicorn("app", "academy:create_app()", APP_PORT, env)
        servers.append(app_server)
        app_server.wait_ready("/healthz")
        session = prepare_session(database_url)
        static_root = OUT / "static"
        static_root.mkdir(parents=True, exist_ok=True)
        body = get_signed_in(session, "learner", session.lesson_path)
        (static_root / "lesson.html").write_bytes(body.encode())
        reference_env = env | {"BENCH_REFERENCE_BODY": str(static_root / "lesson.html")}
        reference = gunicorn(
            "reference", "reference_app:app", REFERENCE_PORT, reference_env,
            "--pythonpath", str(BENCH),
        )  # fmt: skip
        servers.append(reference)
        nginx = start_nginx(static_root)
        servers.append(nginx)
        reference.wait_ready("/lesson")
        nginx.wait_ready("/lesson.html")

        if args.soak:
            soak(session, app_server, args.soak, backend)
            return
        load_before = os.getloadavg()
        if load_before[0] > 1.0:
            print(f"Note: the machine is busy (load average {load_before[0]:.1f}); other "
                  "processes share the cores with the benchmark.")  # fmt: skip
        chosen = [e for e in endpoints() if not args.only or e.name in args.only]
        titles = {e.name: e.title for e in chosen}
        print(f"Warming up ({args.warmup} s each) ...", flush=True)
        for endpoint in chosen:
            measure(session, endpoint, args.warmup)
        results: dict[str, list[Result]] = {e.name: [] for e in chosen}
        for run in range(args.runs):
            for endpoint in chosen:  # interleaved: drift touches every endpoint alike
                result = measure(session, endpoint, args.duration)
                results[endpoint.name].append(result)
                print(
                    f"  run {run + 1}/{args.runs} {endpoint.name:<13} {result.rps:8.0f} req/s"
                    f"  p50 {result.p50_us / 1000:6.1f} ms  p99 {result.p99_us / 1000:6.1f} ms"
                    f"  CPU {result.cpu_ms:5.2f} ms/req"
                    f"  errors {result.errors}"
                    + ("  POOL WRAPPED" if endpoint.pool and result.wrapped else ""),
                    flush=True,
                )
        memory = [memory_mb(pid) for pid in app_server.worker_pids()]
        rows = {name: median_result(items) for name, items in results.items()}
        cold_real, warm_real, modules_real = startup_cold_and_warm(ROOT / "content")
        cold_200, warm_200, modules_200 = startup_cold_and_warm(content_of(200))
        extra = {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(),
            "load average (1 min) before / after": (
                f"{load_before[0]:.1f} / {os.getloadavg()[0]:.1f} (the benchmark adds about 3)"
            ),
            "database": backend,
            "data set": f"{key}: {generate_settings.TRAINEES} trainees, "
            f"{generate_settings.ATTEMPTS} attempts, "
            f"{generate_settings.CERTIFICATES} certificates, {generate_settings.CENTRES} centres",
            "runs": f"{args.runs} × {args.duration} s per endpoint, medians; wrk -t{THREADS} "
            f"-c{CONNECTIONS}; gunicorn sync × {cores()}, --preload",
            "worker memory (MB, after the runs)": ", ".join(
                f"RSS {m.get('rss', 0):.0f} / PSS {m.get('pss', 0):.0f} / private "
                f"{m.get('private_dirty', 0):.0f}"
                for m in memory
            )
            + f" (target: RSS < {MEMORY_TARGET_MB})",
            "app start-up (one process; first start / restart with the content cache)": (
                f"{cold_real:.2f} s / {warm_real:.2f} s for {modules_real} modules; "
                f"{cold_200:.2f} s / {warm_200:.2f} s for {modules_200} modules "
                f"(target {STARTUP_TARGET_S} s per worker; with --preload the master "
                "loads once and workers fork ready)"
            ),
        }
        table = report(backend, rows, extra, titles)
        print()
        print(table)
        (OUT / f"results-{backend}.md").write_text(table + "\n")
        (OUT / f"results-{backend}.json").write_text(
            json.dumps(
                {
                    "rows": rows,
                    "extra": extra,
                    "raw": {k: [asdict(r) for r in v] for k, v in results.items()},
                },
                indent=2,
            )  # fmt: skip
        )
    finally:
        for server in reversed(servers):
            server.stop()


def machine() -> str:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    return f"{cores()} cores ({model}), {memory:.0f} GiB, Python {sys.version.split()[0]}"


# --- soak -----------------------------------------------------------------------------------

MIX = (  # endpoint name, share of requests
    ("lesson", 30),
    ("catalogue", 5),
    ("dashboard", 10),
    ("certificates", 5),
    ("quiz-page", 10),
    ("quiz-submit", 10),
    ("verify-api", 20),
    ("verify-page", 5),
    ("matrix", 5),
)


def soak(session: Session, app_server: Server, minutes: float, backend: str) -> None:
    """The mixed workload in one-minute rounds (fresh sign-ins and quiz attempts each
    round), with the errors and the workers' memory after every round."""
    by_name = {e.name: e for e in endpoints()}
    print(f"Soak: {minutes:g} minutes of mixed load on {backend}, one-minute rounds")
    print("round  req/s   p99 ms  errors  worker RSS MB")
    total_errors = 0
    history = []
    rounds = max(1, round(minutes))
    first_workers = sorted(app_server.worker_pids())
    for number in range(1, rounds + 1):
        for account in ACCOUNTS:
            sign_in(session, account, ACCOUNTS[account])
        per_endpoint = {}
        for name, share in MIX:
            endpoint = by_name[name]
            if endpoint.pool:
                per_endpoint[name] = submission_pool(session, 60 * share / 100)
            else:
                per_endpoint[name] = endpoint.requests(session)
        lines = mixed_lines(per_endpoint)
        requests_file = write_lines("soak", lines)
        cookies_file = write_lines("cookies", [c for c, _ in session.cookies.values()])
        env = dict(os.environ) | {
            "BENCH_REQUESTS": str(requests_file),
            "BENCH_COOKIES": str(cookies_file),
            "BENCH_XFF": f"pool:{VERIFY_CLIENTS}",
            "BENCH_THREADS": str(THREADS),
        }
        command = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", "-d60s", "--timeout", "10s",
                   "-s", str(LUA), f"http://{HOST}:{APP_PORT}"]  # fmt: skip
        completed = subprocess.run(  # noqa: S603
            command, env=env, capture_output=True, text=True, check=False, timeout=180
        )
        data = json.loads(re.search(r"BENCH_RESULT (\{.*\})", completed.stdout).group(1))
        errors = sum(data[k] for k in ("connect_errors", "read_errors", "write_errors",
                                       "status_errors", "timeouts"))  # fmt: skip
        total_errors += errors
        rss = [memory_mb(pid).get("rss", 0) for pid in app_server.worker_pids()]
        rps = data["requests"] / (data["duration_us"] / 1e6)
        history.append({"round": number, "rps": rps, "p99_ms": data["p99_us"] / 1000,
                        "errors": errors, "rss_mb": rss, "wrapped": data["wrapped"]})  # fmt: skip
        print(f"{number:5d}  {rps:6.0f}  {data['p99_us'] / 1000:7.1f}  {errors:6d}  "
              f"{' '.join(f'{r:.0f}' for r in rss)}"
              + ("  (attempt pool wrapped)" if data["wrapped"] else ""), flush=True)  # fmt: skip
    server_errors = count_server_errors(app_server)
    same_workers = sorted(app_server.worker_pids()) == first_workers
    print(f"Soak done: {total_errors} wrk errors, {server_errors} responses with status ≥ 500 "
          "in the app's request log; "
          + ("the same workers throughout (none recycled or replaced)." if same_workers
             else "WORKERS WERE REPLACED during the run (a crash or a timeout)."))  # fmt: skip
    (OUT / f"soak-{backend}.json").write_text(
        json.dumps(
            {"rounds": history, "server_errors": server_errors, "same_workers": same_workers},
            indent=2,
        )
    )


def mixed_lines(per_endpoint: dict[str, list[str]]) -> list[str]:
    """The endpoints' lines interleaved at random in the proportions of MIX; each quiz
    attempt appears once."""
    rng = random.Random(11)  # noqa: S311
    weighted = [name for name, share in MIX for _ in range(share)]
    positions = dict.fromkeys(per_endpoint, 0)
    lines = []
    submissions = len(per_endpoint["quiz-submit"])
    for _ in range(submissions * 100 // 10):
        name = rng.choice(weighted)
        items = per_endpoint[name]
        if name == "quiz-submit" and positions[name] >= len(items):
            continue
        lines.append(items[positions[name] % len(items)])
        positions[name] += 1
    return lines


def count_server_errors(server: Server) -> int:
    count = 0
    with open(server.log.name) as log:
        for line in log:
            if '"status":5' in line:
                count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or None)
    parser.add_argument("--duration", type=float, default=10, help="seconds per measurement")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--only", nargs="*", help="endpoint names (references always run)")
    parser.add_argument("--soak", type=float, help="minutes of mixed load instead")
    args = parser.parse_args()
    if args.only:
        args.only = [*args.only, "ref-flask", "ref-nginx"]
    run_benchmark(args)


if __name__ == "__main__":
    main()
