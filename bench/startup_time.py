"""The app's start-up time in a fresh process: with the real content and with 200 modules
(copies of the real ones), first start and restarts with the content cache."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path

from run_settings import OUT, PYTHON, ROOT


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
