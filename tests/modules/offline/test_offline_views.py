"""The installable app (manifest, service worker, icons), what a module's offline copy
is made of, who may have one, and what signing out and deleting the account tell the
browser to remove (docs/offline.md)."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.progress.models import ModuleProgress
from tests.conftest import PASSWORD, csrf_token_from

LESSONS = ["/modules/basics/lessons/first-steps", "/modules/basics/lessons/next-steps"]
CLEAR_SAVED_DATA = '"cache", "storage"'


def test_the_manifest_makes_the_app_installable_with_icons_it_serves(client):
    response = client.get("/manifest.webmanifest")

    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["name"] == "Peer Academy" and manifest["display"] == "standalone"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert icon["src"].startswith("/static/icons/")  # served by the app itself
        image = client.get(icon["src"], buffered=True)
        assert image.mimetype == "image/png" and image.data.startswith(b"\x89PNG")


def test_every_page_links_the_manifest(client):
    assert '<link rel="manifest" href="/manifest.webmanifest">' in client.get("/").text


def test_the_service_worker_is_served_at_the_root_as_javascript(client):
    response = client.get("/sw.js")

    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"  # a new version is seen at once
    assert "Content-Security-Policy" in response.headers
    script = response.text
    assert 'addEventListener("fetch"' in script
    # it only ever reads caches; saving is the trainee's choice, made by offline.js
    assert ".put(" not in script and "cache.add" not in script


def test_a_trainees_page_names_their_own_cache_and_no_one_elses(client, auth, make_user):
    first, second = make_user(), make_user()
    auth.sign_in(first)
    key = re.search(r'data-offline-key="(lessons-[0-9a-f]{24})"', client.get("/modules").text)
    auth.sign_out()
    auth.sign_in(second)
    other = re.search(r'data-offline-key="(lessons-[0-9a-f]{24})"', client.get("/modules").text)

    assert key and other and key.group(1) != other.group(1)
    assert first.username not in key.group(1) and str(first.id) not in key.group(1)[8:12]


def test_other_roles_and_visitors_get_no_offline_key(client, auth, make_user):
    assert "data-offline-key" not in client.get("/").text
    auth.sign_in(make_user(Role.TRAINER))
    assert "data-offline-key" not in client.get("/modules/basics").text
    assert client.get("/offline/modules/basics/files").status_code == 403
    assert json.loads(client.get("/offline/session").data) == {"key": None}


def test_the_module_page_offers_saving_with_a_plain_warning(client, auth, trainee):
    auth.sign_in(trainee)
    page = client.get("/modules/basics").text

    assert 'data-files-url="/offline/modules/basics/files"' in page
    assert "Saved lessons stay on this phone until you remove them." in page
    assert "Save lessons on this phone" in page and "Remove saved lessons" in page
    assert 'href="/offline"' in page


def test_the_offline_copy_is_the_lessons_and_the_files_they_load(client, auth, trainee):
    auth.sign_in(trainee)
    response = client.get("/offline/modules/basics/files")

    assert response.headers["Cache-Control"] == "no-store"
    copy = json.loads(response.data)
    page = client.get("/modules").text
    assert copy["cache"] == re.search(r'data-offline-key="([^"]+)"', page).group(1)
    assert copy["module"] == {"slug": "basics", "title": "Basics"}
    assert [lesson["url"] for lesson in copy["lessons"]] == LESSONS
    assert copy["index"] == "/offline"
    files = sorted(re.sub(r"\?v=[0-9a-f]{12}$", "", url) for url in copy["assets"])
    assert files == [
        "/static/css/app.css",
        "/static/css/fonts.css",
        "/static/favicon.svg",
        "/static/js/offline.js",
        "/static/js/quick-exit.js",
        "/static/js/read-aloud.js",
    ]
    # each as the lesson page names it: the saved copy is what the page loads offline
    lesson = client.get(LESSONS[0]).text
    assert all(url in lesson for url in copy["assets"])


def test_a_locked_or_warned_module_is_not_saved(client, auth, trainee):
    auth.sign_in(trainee)
    response = client.get("/offline/modules/advanced/files")

    assert response.status_code == 409
    assert "opens when you have completed" in json.loads(response.data)["error"]
    assert client.get("/offline/modules/no-such-module/files").status_code == 404


def test_copying_a_lesson_for_offline_does_not_move_the_place_to_resume(client, auth, trainee):
    auth.sign_in(trainee)
    client.get(LESSONS[0])
    client.get(LESSONS[1], headers={"X-Academy-Offline-Copy": "1"})

    place = db.session.scalar(
        select(ModuleProgress.last_lesson_slug).filter_by(user_id=trainee.id, module_slug="basics")
    )
    assert place == "first-steps"


def test_the_session_answer_gives_a_trainee_a_fresh_csrf_token(client, auth, trainee):
    auth.sign_in(trainee)
    session = json.loads(client.get("/offline/session").data)

    assert session["key"].startswith("lessons-") and session["csrf_token"]


def test_the_saved_lessons_page_says_what_saving_means(client, auth, trainee):
    auth.sign_in(trainee)
    page = client.get("/offline").text

    assert "They stay on this phone until you remove them." in page
    assert "Remove all saved lessons from this phone" in page
    assert 'id="offline-saved-list"' in page


def test_a_studied_form_and_a_quiz_can_wait_on_the_phone(client, auth, trainee):
    auth.sign_in(trainee)

    lesson = client.get(LESSONS[0]).text
    quiz = client.get("/modules/basics/quiz").text

    assert 'class="js-offline-queue" data-offline-kind="studied"' in lesson
    assert 'data-offline-kind="quiz"' in quiz


def test_signing_out_tells_the_browser_to_remove_what_the_phone_keeps(app, client, auth, trainee):
    app.config["WTF_CSRF_ENABLED"] = True
    auth.sign_in(trainee)
    page = client.get("/account").text
    assert 'class="inline js-forget-offline" data-send-first' in page

    response = client.post("/sign-out", data={"csrf_token": csrf_token_from(page)})

    assert response.headers["Clear-Site-Data"] == CLEAR_SAVED_DATA
    assert client.get("/modules").status_code == 302


def test_a_refused_sign_out_removes_nothing(app, client, auth, trainee):
    app.config["WTF_CSRF_ENABLED"] = True
    auth.sign_in(trainee)

    response = client.post("/sign-out", data={})

    assert "Clear-Site-Data" not in response.headers
    assert client.get("/modules").status_code == 200


def test_deleting_the_account_tells_the_browser_to_remove_it_all(client, auth, trainee):
    auth.sign_in(trainee)
    assert "js-forget-offline" in client.get("/account/delete").text

    response = client.post("/account/delete", data={"password": PASSWORD, "confirm": "y"})

    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == CLEAR_SAVED_DATA
