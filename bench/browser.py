"""``make bench-browser`` (and the last part of ``make bench``): a trainee's pages in
Chromium on an emulated slow 3G connection (docs/performance.md, "On a slow network").

The app runs on 127.0.0.1 with the real curriculum and one trainee; Chromium's DevTools
protocol (``Network.emulateNetworkConditions``, through Playwright's CDP session) holds
every request to 400 kbit/s down and up with 400 ms round trip. For each page:

- first visit: a fresh browser profile (nothing cached), signed in;
- repeat visit: the same page again in that profile;
- the time until the page's text is on screen (the lesson's first paragraph, or the
  page's heading), from the start of the navigation;
- the bytes transferred (``encodedDataLength``: compressed bodies and headers) for
  everything the page loaded.

Targets from issue 15: a lesson's text within 3 s on a first visit and 1.5 s on a repeat
visit; 30 KB per page (tests/core/test_page_weight.py is the test of the budget).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SLOW_3G = {
    "offline": False,
    "latency": 400,  # ms, round trip
    "downloadThroughput": 400 * 1000 / 8,  # bytes per second
    "uploadThroughput": 400 * 1000 / 8,
}
USERNAME, PASSWORD = "bench-trainee", "bench-trainee-password"
LESSON = "/modules/peer-role/lessons/what-a-peer-advisor-does"
# (name, path, what must be on screen)
PAGES = [
    ("lesson", LESSON, "article.prose p"),
    ("module", "/modules/peer-role", "main h1"),
    ("catalogue", "/modules", "main h1"),
    ("quiz", "/modules/peer-role/quiz", "main h1"),
    ("certificates", "/certificates", "main h1"),
    ("account", "/account", "main h1"),
    ("saved lessons", "/offline", "main h1"),
]
TARGETS = {"lesson": {"first_s": 3.0, "repeat_s": 1.5}}
BUDGET_KB = 30


def start_app(folder: Path) -> str:
    """The app with the real curriculum and one trainee, served from a thread."""
    from werkzeug.serving import make_server

    from academy import create_app
    from academy.core.config import PROJECT_ROOT
    from academy.core.extensions import db
    from academy.modules.accounts import services as accounts
    from academy.modules.accounts.models import Role

    app = create_app(
        {
            "SECRET_KEY": "bench-browser",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'academy.sqlite3'}",
            "ACADEMY_CONTENT_DIR": str(PROJECT_ROOT / "content"),
            "ACADEMY_INSTANCE_PATH": str(folder),
            "ACADEMY_KEY_DIR": str(folder / "keys"),
            "ACADEMY_SECURE_COOKIES": False,
            "SESSION_COOKIE_SECURE": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    with app.app_context():
        db.create_all()
        accounts.create_user(USERNAME, PASSWORD, Role.TRAINEE, display_name="Bench Peer")
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


class Visit:
    """One navigation on the throttled connection: seconds to text, bytes transferred."""

    def __init__(self, page, cdp) -> None:
        self.page, self.cdp = page, cdp
        self.bytes = 0
        cdp.on("Network.loadingFinished", self._finished)

    def _finished(self, event: dict) -> None:
        self.bytes += int(event.get("encodedDataLength", 0))

    def run(self, path: str, selector: str) -> tuple[float, int]:
        self.bytes = 0
        started = time.perf_counter()
        self.page.goto(path, wait_until="commit")
        self.page.wait_for_selector(selector, state="visible")
        seconds = time.perf_counter() - started
        self.page.wait_for_load_state("load")
        self.page.wait_for_timeout(300)  # late requests
        return seconds, self.bytes


def measure(browser, base_url: str, storage: dict, path: str, selector: str) -> dict:
    # Without the service worker: DevTools throttles the page's own requests only, and
    # the worker would fetch beside the throttle. Online it passes every page to the
    # network anyway; a trainee's saved files would only make a repeat visit faster.
    context = browser.new_context(base_url=base_url, storage_state=storage, service_workers="block")
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_3G)
        visit = Visit(page, cdp)
        first_s, first_bytes = visit.run(path, selector)
        repeat_s, repeat_bytes = visit.run(path, selector)
        return {
            "first_s": first_s,
            "first_kb": first_bytes / 1024,
            "repeat_s": repeat_s,
            "repeat_kb": repeat_bytes / 1024,
        }
    finally:
        context.close()


def signed_in_storage(browser, base_url: str) -> dict:
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.goto("/sign-in")
    page.get_by_label("Sign-in name").fill(USERNAME)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/modules")
    storage = context.storage_state()
    context.close()
    return storage


def table(results: dict[str, dict]) -> str:
    lines = [
        "| page | first visit: text on screen | transferred | repeat visit: text on screen"
        " | transferred |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, r in results.items():
        target = TARGETS.get(name, {})
        first_ok = (
            "" if "first_s" not in target else (" ✓" if r["first_s"] <= target["first_s"] else " ✗")
        )
        repeat_ok = (
            ""
            if "repeat_s" not in target
            else (" ✓" if r["repeat_s"] <= target["repeat_s"] else " ✗")
        )
        lines.append(
            f"| {name} | {r['first_s']:.2f} s{first_ok} | {r['first_kb']:.1f} KB"
            f"{' ✗' if r['first_kb'] > BUDGET_KB else ''} | {r['repeat_s']:.2f} s{repeat_ok}"
            f" | {r['repeat_kb']:.1f} KB |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="visits per page; medians shown")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print("bench/browser.py: Chromium not found (apt-get install chromium); skipped")
        return 0
    from playwright.sync_api import sync_playwright

    from tests.browser.helpers import launch_chromium

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        base_url = start_app(Path(folder))
        browser = launch_chromium(playwright)
        storage = signed_in_storage(browser, base_url)
        results = {}
        for name, path, selector in PAGES:
            runs = [measure(browser, base_url, storage, path, selector) for _ in range(args.runs)]
            results[name] = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        browser.close()
    report = table(results)
    print(
        "\nSlow 3G (400 kbit/s down and up, 400 ms round trip), Chromium, medians of "
        f"{args.runs} runs:\n"
    )
    print(report)
    OUT.mkdir(exist_ok=True)
    (OUT / "browser.json").write_text(json.dumps(results, indent=2))
    (OUT / "browser.md").write_text(report + "\n")
    lesson = results["lesson"]
    met = lesson["first_s"] <= 3.0 and lesson["repeat_s"] <= 1.5
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
