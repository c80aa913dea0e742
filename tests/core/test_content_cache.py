"""The content cache: a restart with unchanged content renders nothing and serves the
same catalogue; anything changed, corrupt or made by other code is rendered afresh."""

from __future__ import annotations

import functools
import json
import logging
import shutil
import stat
from pathlib import Path

import markdown
import pytest
from content_builders import LESSON_MD

from academy import create_app
from academy.core.catalogue import CACHE_FOLDER, current_catalogue
from academy.core.config import config_from_environment
from academy.core.content import check_content, load_catalogue
from academy.core.content.cache import ModuleCache, cache_file, module_key
from academy.core.content.loader import ModuleResult, load_module
from academy.core.content.model import Catalogue
from tests.conftest import FIXTURE_CONTENT, build_config

LONG_SENTENCE = " ".join(["word"] * 31) + "."
NO_TITLE = "Text before any title.\n"


class Starts:
    """App starts against one content folder and one cache file, counting renders."""

    def __init__(self, content_dir: Path, cache_dir: Path) -> None:
        self.content_dir = content_dir
        self.file = cache_file(cache_dir, content_dir)
        self.rendered: list[str] = []

    def _load(self, folder: Path) -> ModuleResult:
        self.rendered.append(folder.name)
        return load_module(folder, hints=False)

    def start(self) -> Catalogue:
        self.rendered = []
        cache = ModuleCache(self.file, self._load)
        catalogue = load_catalogue(self.content_dir, cache.load)
        cache.save()
        return catalogue


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """The test content (two modules, a quiz each, certificate paths), to change freely."""
    return Path(shutil.copytree(FIXTURE_CONTENT, tmp_path / "content"))


@pytest.fixture
def starts(content: Path, tmp_path: Path) -> Starts:
    return Starts(content, tmp_path / "instance" / CACHE_FOLDER)


def uncached(content_dir: Path) -> Catalogue:
    return load_catalogue(content_dir, functools.partial(load_module, hints=False))


def test_a_restart_renders_nothing_and_serves_the_same_catalogue(starts, content, monkeypatch):
    (content / "advanced" / "03-broken.md").write_text(NO_TITLE)
    (content / "basics" / "notes.md").write_text("# Notes\n")
    first = starts.start()
    assert starts.rendered == ["advanced", "basics"]
    assert first == uncached(content)
    assert list(first.modules) == ["basics"]
    assert first.modules["basics"].quiz is not None

    monkeypatch.setattr(markdown.Markdown, "convert", None)  # any rendering would fail
    second = starts.start()
    assert starts.rendered == []
    # Dataclass equality: every HTML string, quiz, option and problem, and tuples as tuples.
    assert second == first
    assert list(second.modules) == list(first.modules)
    assert [str(p) for p in second.problems] == [
        f"{content}/advanced/03-broken.md:1: a lesson must start with a '# ' title",
        f"{content}/basics/notes.md:1: warning: ignored: lesson files are named NN-name.md, "
        "e.g. 01-introduction.md",
        f"{content}/curricula.yml:4: module 'advanced' has errors, so this path is left out",
    ]


def test_a_changed_file_is_rendered_again_and_the_other_modules_are_reused(starts, content):
    starts.start()
    (content / "basics" / "01-first-steps.md").write_text("# Changed\n\nNew *text*.\n")
    catalogue = starts.start()
    assert starts.rendered == ["basics"]
    lesson = catalogue.modules["basics"].lesson("first-steps")
    assert lesson.html == '<h1 id="changed">Changed</h1>\n<p>New <em>text</em>.</p>'
    assert catalogue == uncached(content)
    starts.start()
    assert starts.rendered == []


@pytest.mark.parametrize(
    "change",
    [
        lambda folder: (folder / "03-more.md").write_text(LESSON_MD),
        lambda folder: (folder / "02-next-steps.md").unlink(),
        lambda folder: (folder / "02-next-steps.md").rename(folder / "03-next-steps.md"),
        lambda folder: (folder / "quiz.md").write_bytes(b"\xff"),
    ],
    ids=["added", "removed", "renamed", "not-utf-8"],
)
def test_added_removed_renamed_or_broken_files_invalidate_their_module(starts, content, change):
    starts.start()
    change(content / "basics")
    catalogue = starts.start()
    assert starts.rendered == ["basics"]
    assert catalogue == uncached(content)


def test_a_module_removed_from_the_content_leaves_the_cache(starts, content):
    starts.start()
    shutil.rmtree(content / "advanced")
    starts.start()
    assert json.loads(starts.file.read_text())["modules"].keys() == {"basics"}


def test_copies_of_a_module_under_other_names_are_rendered_each(starts, content):
    """The key includes the folder: its name is the slug, and it is in every path."""
    shutil.copytree(content / "basics", content / "basics-copy")
    catalogue = starts.start()
    assert starts.rendered == ["advanced", "basics", "basics-copy"]
    assert catalogue.modules["basics-copy"].path == str(content / "basics-copy")


def test_another_content_folder_gets_its_own_cache_file(starts, content, tmp_path):
    starts.start()
    other = Starts(Path(shutil.copytree(content, tmp_path / "other")), starts.file.parent)
    other.start()
    assert other.file != starts.file
    starts.start()
    assert starts.rendered == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda file, data: file.write_bytes(b""),
        lambda file, data: file.write_bytes(file.read_bytes()[:1000]),
        lambda file, data: file.write_text("[1, 2]"),
        lambda file, data: file.write_text(json.dumps(data | {"modules": []})),
        lambda file, data: file.write_text(
            json.dumps(data | {"modules": {"basics": data["modules"]["basics"] | {"result": 1}}})
        ),
        lambda file, data: file.write_text(
            json.dumps(
                data
                | {
                    "modules": {
                        "basics": data["modules"]["basics"]
                        | {"result": data["modules"]["basics"]["result"] | {"module": {}}}
                    }
                }
            )
        ),
    ],
    ids=["empty", "cut-short", "not-an-object", "no-modules", "bad-entry", "bad-module"],
)
def test_a_corrupt_cache_is_ignored_logged_and_rebuilt(starts, content, caplog, damage):
    expected = starts.start()
    damage(starts.file, json.loads(starts.file.read_text()))
    with caplog.at_level(logging.WARNING, logger="academy.content"):
        assert starts.start() == expected
    assert "basics" in starts.rendered
    assert any("content cache" in record.getMessage() for record in caplog.records)
    starts.start()
    assert starts.rendered == []


def test_a_cache_made_by_other_code_is_ignored(starts, content, caplog):
    expected = starts.start()
    data = json.loads(starts.file.read_text())
    starts.file.write_text(json.dumps(data | {"fingerprint": "an older release"}))
    with caplog.at_level(logging.INFO, logger="academy.content"):
        assert starts.start() == expected
    assert starts.rendered == ["advanced", "basics"]
    assert "is from other code; rebuilding it" in caplog.text


def test_a_file_saved_while_its_module_loads_is_not_cached_under_the_old_key(starts, content):
    lesson = content / "basics" / "01-first-steps.md"
    original = lesson.read_text()
    key = module_key(content / "basics")

    def load_while_saving(folder: Path) -> ModuleResult:
        result = load_module(folder, hints=False)
        if folder.name == "basics":
            lesson.write_text("# Saved meanwhile\n")
        return result

    cache = ModuleCache(starts.file, load_while_saving)
    load_catalogue(content, cache.load)
    cache.save()
    lesson.write_text(original)
    assert module_key(content / "basics") == key
    starts.start()
    assert starts.rendered == ["basics"]


def test_the_cache_file_is_private_and_replaced_whole(starts):
    starts.start()
    assert stat.S_IMODE(starts.file.stat().st_mode) == 0o600
    assert stat.S_IMODE(starts.file.parent.stat().st_mode) == 0o700
    assert [p.name for p in starts.file.parent.iterdir()] == [starts.file.name]


def test_a_cache_that_cannot_be_written_only_costs_time(content, tmp_path, caplog):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    starts = Starts(content, blocked / CACHE_FOLDER)
    with caplog.at_level(logging.WARNING, logger="academy.content"):
        assert starts.start() == uncached(content)
    assert "content cache: cannot write" in caplog.text


def test_the_app_serves_no_plain_language_hints_but_content_check_reports_them(content):
    (content / "basics" / "03-long.md").write_text(f"# Long\n\n{LONG_SENTENCE}\n")
    problem = f"{content}/basics/03-long.md:3: warning: sentence of 31 words; aim for 30 or fewer"
    assert problem in [str(p) for p in check_content(content)]
    assert problem in [str(p) for p in load_catalogue(content).problems]
    assert uncached(content).warnings == []


def app_with(tmp_path: Path, content: Path, **config):
    return create_app(build_config(tmp_path, ACADEMY_CONTENT_DIR=str(content), **config))


def test_the_app_uses_the_cache_in_its_instance_folder_and_logs_errors_every_start(
    tmp_path, content, caplog, monkeypatch
):
    (content / "basics" / "03-broken.md").write_text(NO_TITLE)
    error = f"content: {content}/basics/03-broken.md:1: a lesson must start with a '# ' title"
    with caplog.at_level(logging.INFO, logger="academy.content"):
        first = app_with(tmp_path, content, ACADEMY_CONTENT_CACHE=True)
    assert error in caplog.text
    assert "content: 2 modules rendered, 0 from the cache" in caplog.text
    assert (tmp_path / "instance" / CACHE_FOLDER).is_dir()
    caplog.clear()

    monkeypatch.setattr(markdown.Markdown, "convert", None)
    with caplog.at_level(logging.INFO, logger="academy.content"):
        second = app_with(tmp_path, content, ACADEMY_CONTENT_CACHE=True)
    assert error in caplog.text
    assert "rendered" not in caplog.text
    with first.app_context():
        expected = current_catalogue()
    with second.app_context():
        assert current_catalogue() == expected


@pytest.mark.parametrize(("setting", "written"), [(None, False), (False, False), (True, True)])
def test_the_app_caches_unless_testing_or_switched_off(tmp_path, content, setting, written):
    app_with(tmp_path, content, ACADEMY_CONTENT_CACHE=setting)
    assert (tmp_path / "instance" / CACHE_FOLDER).exists() == written


@pytest.mark.parametrize(("value", "expected"), [(None, None), ("0", False), ("1", True)])
def test_the_cache_setting_comes_from_the_environment(monkeypatch, tmp_path, value, expected):
    monkeypatch.setenv("ACADEMY_INSTANCE_PATH", str(tmp_path))
    if value is None:
        monkeypatch.delenv("ACADEMY_CONTENT_CACHE", raising=False)
    else:
        monkeypatch.setenv("ACADEMY_CONTENT_CACHE", value)
    assert config_from_environment()["ACADEMY_CONTENT_CACHE"] is expected
