"""Content is read only from real files inside the content folder, and only up to a size.

A symbolic link (a lesson file or a whole module folder) can point anywhere on the server;
the loader would render and publish what it finds there. A huge file stalls start-up.
Both are refused, by `academy content check` and by loading, with path and line, and
nothing behind a link or beyond the limit is read.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from content_builders import LESSON_MD, module_md
from flask import Flask

from academy.core.config import DEFAULTS
from academy.core.content import check_content, load_catalogue
from academy.core.content.cache import ModuleCache
from academy.core.content.cli import content_cli
from academy.core.content.loader import load_module

OUTSIDE_SECRET = "Outside the content folder: Amina, room 12"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder next to the content folder, holding a valid module with a secret in it."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "module.md").write_text(module_md(), encoding="utf-8")
    (folder / "01-secret.md").write_text(f"# Secret\n\n{OUTSIDE_SECRET}.\n", encoding="utf-8")
    return folder


def run_check(content_dir: Path, *args: str, max_bytes: int | None = None):
    app = Flask(__name__)
    app.config["ACADEMY_CONTENT_DIR"] = str(content_dir)
    app.config["ACADEMY_CONTENT_MAX_BYTES"] = max_bytes or DEFAULTS["ACADEMY_CONTENT_MAX_BYTES"]
    app.cli.add_command(content_cli)
    return app.test_cli_runner().invoke(args=["content", "check", *args])


def everything_rendered(catalogue) -> str:
    return " ".join(
        module.intro_html + " ".join(lesson.html for lesson in module.lessons)
        for module in catalogue.modules.values()
    )


def test_a_linked_lesson_file_is_refused_by_loading(content_dir, write_module, outside):
    folder = write_module("trauma")
    (folder / "02-linked.md").symlink_to(outside / "01-secret.md")

    catalogue = load_catalogue(content_dir)

    assert "trauma" not in catalogue.modules  # an error leaves the module out
    assert OUTSIDE_SECRET not in everything_rendered(catalogue)
    (problem,) = catalogue.errors
    assert (problem.path, problem.line) == (str(folder / "02-linked.md"), 1)
    assert "symbolic link" in problem.message


def test_a_linked_module_file_and_quiz_are_refused(content_dir, write_module, outside):
    folder = write_module("trauma", {"module.md": None, "quiz.md": None})
    (folder / "module.md").symlink_to(outside / "module.md")
    (folder / "quiz.md").symlink_to(outside / "01-secret.md")

    problems = load_module(folder).problems

    assert {(p.path, p.line) for p in problems if "symbolic link" in p.message} == {
        (str(folder / "module.md"), 1),
        (str(folder / "quiz.md"), 1),
    }


def test_a_linked_module_folder_is_refused_by_loading(content_dir, write_module, outside):
    write_module("trauma")
    (content_dir / "secrets").symlink_to(outside, target_is_directory=True)

    catalogue = load_catalogue(content_dir)

    assert set(catalogue.modules) == {"trauma"}
    assert OUTSIDE_SECRET not in everything_rendered(catalogue)
    (problem,) = catalogue.errors
    assert (problem.path, problem.line) == (str(content_dir / "secrets"), 1)
    assert "symbolic link" in problem.message


def test_the_app_cache_does_not_follow_a_linked_folder_or_file(
    tmp_path, content_dir, write_module, outside, monkeypatch
):
    folder = write_module("trauma")
    (folder / "02-linked.md").symlink_to(outside / "01-secret.md")
    (content_dir / "secrets").symlink_to(outside, target_is_directory=True)
    opened: list[str] = []
    real_read_bytes = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        opened.append(str(path))
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    cache = ModuleCache(tmp_path / "cache.json", load_module)
    catalogue = load_catalogue(content_dir, cache.load)

    assert catalogue.modules == {}
    assert not [path for path in opened if "secret" in path or "linked" in path]


def test_content_check_reports_linked_files_and_folders(content_dir, write_module, outside):
    folder = write_module("trauma")
    (folder / "02-linked.md").symlink_to(outside / "01-secret.md")
    (content_dir / "secrets").symlink_to(outside, target_is_directory=True)

    result = run_check(content_dir)

    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[-1] == "2 errors, 0 warnings"
    assert sorted(lines[:-1]) == [
        f"{content_dir}/secrets:1: the module folder secrets is a symbolic link; content is "
        "only read from real files and folders inside the content folder, so copy it in instead",
        f"{folder}/02-linked.md:1: 02-linked.md is a symbolic link; content is only read from "
        "real files and folders inside the content folder, so copy it in instead",
    ]
    assert OUTSIDE_SECRET not in result.output


def test_content_check_of_a_linked_module_folder_refuses_it(content_dir, outside):
    (content_dir / "secrets").symlink_to(outside, target_is_directory=True)

    result = run_check(content_dir, str(content_dir / "secrets"))

    assert result.exit_code == 1
    assert result.output.startswith(f"{content_dir}/secrets:1: the module folder secrets is a ")


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path, content_dir, write_module):
    """A sparse file of 64 GB: reading it would take minutes and all the memory there is."""
    folder = write_module("trauma")
    huge = folder / "02-huge.md"
    with huge.open("wb") as handle:
        handle.truncate(64 * 1024**3)

    catalogue = load_catalogue(content_dir, ModuleCache(tmp_path / "cache.json", load_module).load)

    assert "trauma" not in catalogue.modules
    (problem,) = catalogue.errors
    assert (problem.path, problem.line) == (str(huge), 1)
    assert problem.message == (
        "the file is 64.0 GB, more than the limit of 1.0 MB (ACADEMY_CONTENT_MAX_BYTES); "
        "split it into several lessons"
    )


def test_the_size_limit_is_a_setting_used_by_content_check(content_dir, write_module):
    folder = write_module("trauma", {"01-what-trauma-is.md": LESSON_MD + "More text. " * 200})

    assert run_check(content_dir).exit_code == 0  # about 2 KB: well within the default
    result = run_check(content_dir, max_bytes=1024)

    assert result.exit_code == 1
    assert result.output.startswith(
        f"{folder}/01-what-trauma-is.md:1: the file is 2 KB, more than the limit of 1 KB "
    )
    assert check_content(content_dir, max_bytes=1024)[0].path == str(
        folder / "01-what-trauma-is.md"
    )


def test_the_app_refuses_a_file_over_its_configured_limit(app_config, content_dir, write_module):
    from academy import create_app
    from academy.core.catalogue import current_catalogue

    write_module("trauma", {"01-what-trauma-is.md": LESSON_MD + "More text. " * 200})
    app = create_app(
        app_config | {"ACADEMY_CONTENT_DIR": str(content_dir), "ACADEMY_CONTENT_MAX_BYTES": 1024}
    )
    with app.app_context():
        catalogue = current_catalogue()
    assert catalogue.modules == {}
    assert "more than the limit of 1 KB" in catalogue.errors[0].message
