"""Broken content is seen: admins and trainers get every problem ``academy content check``
reports, as ``file:line: message``; /healthz counts the errors and names no file."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest

from academy.core.catalogue import current_catalogue
from academy.modules.accounts.models import Role
from tests.conftest import FIXTURE_CONTENT, build_config

LONG_SENTENCE = " ".join(["word"] * 31) + "."


@pytest.fixture
def content_dir(tmp_path) -> Path:
    """The fixture content with one broken module (advanced) and one warning (basics)."""
    folder = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, folder)
    module = folder / "advanced" / "module.md"
    module.write_text(module.read_text().replace("version:", "objective: typo\nversion:"))
    lesson = folder / "basics" / "01-first-steps.md"
    lesson.write_text(lesson.read_text() + f"\n{LONG_SENTENCE} Ok. Ok. Ok.\n")
    return folder


@pytest.fixture
def app_config(tmp_path, content_dir) -> dict:
    return build_config(tmp_path, ACADEMY_CONTENT_DIR=str(content_dir))


def listed(page: str) -> list[str]:
    """The problems on the page, as ``file:line: message`` lines."""
    items = re.findall(r"<li><code>([^<]+)</code>: ([^<]+)</li>", page)
    return [html.unescape(f"{place}: {message}") for place, message in items]


def test_the_broken_module_is_left_out_and_the_page_lists_what_content_check_says(
    app, client, auth, make_user, content_dir
):
    assert "advanced" not in current_catalogue().modules
    auth.sign_in(make_user(Role.ADMIN))
    page = client.get("/content/problems").text

    # The command's lines, in its order (errors, then warnings), inside the content folder.
    result = app.test_cli_runner().invoke(args=["content", "check"])
    command_lines = result.output.splitlines()[:-1]  # without the "2 errors, 1 warning" total
    assert listed(page) == [
        line.removeprefix(f"{content_dir}/").replace(": warning: ", ": ", 1)
        for line in command_lines
    ]
    assert listed(page)[:2] == [
        "advanced/module.md:7: unknown key 'objective'",
        "curricula.yml:4: module 'advanced' has errors, so this path is left out",
    ]
    assert "basics/01-first-steps.md:5: sentence of 31 words; aim for 30 or fewer" in listed(page)
    assert '<h2 id="errors-heading">Errors (2)</h2>' in page
    assert f'<h2 id="warnings-heading">Warnings ({len(command_lines) - 2})</h2>' in page
    assert str(content_dir) not in page  # where the files lie on the server stays private
    assert "The files changed since this server started" not in page


def test_errors_come_before_warnings_each_by_file_and_line(app, client, auth, make_user):
    auth.sign_in(make_user(Role.TRAINER))
    page = client.get("/content/problems").text
    assert page.index("curricula.yml:4") < page.index("basics/01-first-steps.md:5")


def test_a_change_since_start_up_is_pointed_out(app, client, auth, make_user, content_dir):
    (content_dir / "basics" / "module.md").write_text("---\ntitle: broken\n---\n")
    auth.sign_in(make_user(Role.ADMIN))
    page = client.get("/content/problems").text
    assert '<h2 id="errors-heading">Errors (2)</h2>' not in page  # the files as they are now
    assert "it loaded the content with 2 errors. Restart the app" in page


@pytest.mark.parametrize("role", [Role.ADMIN, Role.TRAINER])
def test_admins_and_trainers_reach_it_from_their_navigation(client, auth, make_user, role):
    auth.sign_in(make_user(role))
    nav = client.get("/modules").text.split("</nav>", 1)[0]
    assert '<a href="/content/problems">Content problems</a>' in nav


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.CENTRE])
def test_trainees_and_coordinators_neither_see_nor_reach_it(client, auth, make_user, role):
    auth.sign_in(make_user(role))
    assert "/content/problems" not in client.get("/modules").text
    assert client.get("/content/problems").status_code == 403


def test_healthz_counts_the_errors_and_names_no_file(app, client):
    response = client.get("/healthz")
    assert response.status_code == 200  # the other module still serves
    assert response.get_json()["content"] == {"modules": 1, "errors": 2}
    body = response.get_data(as_text=True)
    for private in ("advanced", "module.md", "curricula", "objective", "content/"):
        assert private not in body


def test_clean_content_says_so(client, auth, make_user, app):
    app.config["ACADEMY_CONTENT_DIR"] = str(FIXTURE_CONTENT)
    current_catalogue().problems.clear()
    auth.sign_in(make_user(Role.ADMIN))
    page = client.get("/content/problems").text
    assert "No errors: every module is in the catalogue." in page
    assert all(": unknown key" not in line for line in listed(page))
