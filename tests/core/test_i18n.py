"""The interface language: Accept-Language, the switcher (a cookie signed out, the account
signed in), right to left, translated pages, form errors, dates and the cached catalogues."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from flask_babel import force_locale, get_translations

from academy.core.dates import format_date
from academy.core.extensions import db
from academy.core.i18n import LANGUAGE_COOKIE, LANGUAGES, select_language
from academy.modules.accounts.models import User
from tests.conftest import PASSWORD, csrf_token_from


def stored_language(user: User) -> str | None:
    """As the database holds it now (requests run in their own sessions)."""
    db.session.expire_all()
    return db.session.get(User, user.id).language


def html_attributes(page: str) -> tuple[str, str]:
    match = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', page)
    assert match, "no <html lang dir>"
    return match.group(1), match.group(2)


# --- before sign-in: the browser's Accept-Language ----------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("de-DE,de;q=0.9,en;q=0.8", "de"),
        ("fr-FR, uk;q=0.7, de;q=0.5", "uk"),
        ("ro", "ro"),
        ("ar-SY", "ar"),
        ("fr, es;q=0.8", "en"),
        ("", "en"),
    ],
)
def test_the_browser_language_decides_before_sign_in(client, header, expected):
    page = client.get("/", headers={"Accept-Language": header})
    assert html_attributes(page.text)[0] == expected
    assert "Accept-Language" in page.headers["Vary"]


def test_a_german_browser_gets_german_interface_text(client):
    page = client.get("/sign-in", headers={"Accept-Language": "de"}).text
    assert "<h1>Anmelden</h1>" in page
    assert '<label for="username">Anmeldename</label>' in page
    assert "Seite verlassen" in page and "Leave this page" not in page


def test_arabic_is_right_to_left_and_the_others_left_to_right(client):
    for code in LANGUAGES:
        page = client.get("/", headers={"Accept-Language": code}).text
        assert html_attributes(page) == (code, "rtl" if code == "ar" else "ltr")


# --- the switcher, signed out: a cookie ---------------------------------------------------


def test_every_page_offers_each_language_named_in_itself(client):
    page = client.get("/verify").text
    switcher = page[page.index('aria-labelledby="language-heading"') :]
    assert '<h2 id="language-heading">Language</h2>' in switcher
    for code, name in LANGUAGES.items():
        assert f'href="/language/{code}" lang="{code}" hreflang="{code}"' in switcher
        assert f">{name}</a>" in switcher


def test_choosing_a_language_signed_out_sets_a_cookie_and_returns_to_the_page(client):
    response = client.get("/language/de", headers={"Referer": "http://localhost/verify?code=x"})
    assert response.status_code == 302
    assert response.location == "/verify?code=x"
    cookie = client.get_cookie(LANGUAGE_COOKIE)
    assert cookie.value == "de" and cookie.http_only and cookie.same_site == "Lax"
    # the choice beats the browser's language
    page = client.get("/verify", headers={"Accept-Language": "ar"}).text
    assert html_attributes(page) == ("de", "ltr")
    assert "<h1>Ein Zertifikat prüfen</h1>" in page


def test_the_switcher_never_returns_to_another_site(client):
    for referer in ("https://evil.example/x", "//evil.example", "javascript:alert(1)"):
        response = client.get("/language/uk", headers={"Referer": referer})
        assert response.location == "/"
    assert client.get("/language/uk").location == "/"


def test_an_unknown_language_is_not_found_and_sets_nothing(client):
    assert client.get("/language/xx").status_code == 404
    assert client.get_cookie(LANGUAGE_COOKIE) is None


def test_a_forged_cookie_value_falls_back_to_the_browser(client):
    client.set_cookie(LANGUAGE_COOKIE, "xx")
    page = client.get("/", headers={"Accept-Language": "ro"}).text
    assert html_attributes(page)[0] == "ro"


# --- the switcher, signed in: the account -------------------------------------------------


def test_a_signed_in_choice_is_stored_on_the_account(app, client, auth, trainee):
    auth.sign_in(trainee)
    page = client.get("/account").text
    assert 'action="/language"' in page and 'name="language" value="uk" lang="uk"' in page

    response = client.post(
        "/language", data={"language": "uk"}, headers={"Referer": "http://localhost/account"}
    )

    assert response.location == "/account"
    assert stored_language(trainee) == "uk"
    page = client.get("/account", headers={"Accept-Language": "de"}).text
    assert html_attributes(page)[0] == "uk"
    assert "<h1>Ваш обліковий запис</h1>" in page


def test_the_account_language_follows_the_person_to_another_device(app, client, auth, trainee):
    trainee.language = "ar"
    db.session.commit()
    auth.sign_in(trainee)
    page = client.get("/modules", headers={"Accept-Language": "en"}).text
    assert html_attributes(page) == ("ar", "rtl")
    assert "<h1>الوحدات</h1>" in page


def test_an_unsupported_language_is_refused_and_changes_nothing(client, auth, trainee):
    auth.sign_in(trainee)
    assert client.post("/language", data={"language": "xx"}).status_code == 400
    assert client.post("/language", data={}).status_code == 400
    assert stored_language(trainee) is None


def test_the_database_refuses_a_language_outside_the_list(trainee):
    trainee.language = "fr"
    with pytest.raises(Exception, match="(?i)check"):
        db.session.commit()
    db.session.rollback()


def test_switching_needs_the_csrf_token(app, client, auth, trainee):
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/sign-in").text
    client.post(
        "/sign-in",
        data={
            "username": trainee.username,
            "password": PASSWORD,
            "csrf_token": csrf_token_from(page),
        },
    )
    assert client.post("/language", data={"language": "de"}).status_code == 400
    page = client.get("/account").text
    response = client.post(
        "/language", data={"language": "de", "csrf_token": csrf_token_from(page)}
    )
    assert response.status_code == 302
    assert stored_language(trainee) == "de"


# --- translated content of the interface --------------------------------------------------


def test_form_errors_are_translated(client):
    page = client.post("/sign-in", data={}, headers={"Accept-Language": "de"}).text
    assert "Dieses Feld wird benötigt." in page  # WTForms' own message, in German
    page = client.post(
        "/sign-in",
        data={"username": "nobody", "password": "wrong"},
        headers={"Accept-Language": "de"},
    ).text
    assert "Der Anmeldename oder das Passwort ist nicht richtig." in page


def test_flash_messages_are_translated(client, auth, trainee):
    trainee.language = "ro"
    db.session.commit()
    auth.sign_in(trainee)
    client.post("/certificates/pause")
    page = client.get("/certificates").text
    assert "Luați o pauză. Centrele vă văd în pauză până vă întoarceți." in page


def test_error_pages_and_api_messages_are_translated(client):
    page = client.get("/no-such-page", headers={"Accept-Language": "de"})
    assert page.status_code == 404 and "<h1>Seite nicht gefunden</h1>" in page.text
    api = client.get("/api/v1/certificates/not-a-code", headers={"Accept-Language": "uk"})
    assert api.get_json() == {"error": "Це не код сертифіката: 20 літер і цифр.", "status": 400}


def test_dates_follow_the_language_and_english_keeps_iso_8601(app):
    day = date(2026, 3, 1)
    with app.test_request_context():
        assert format_date(day) == "2026-03-01"
        assert format_date(datetime(2026, 3, 1, 14, 5), with_time=True) == "2026-03-01 14:05"
        with force_locale("de"):
            assert format_date(day) == "01.03.2026"
        with force_locale("uk"):
            assert format_date(day) == "1 бер. 2026\u202fр."


def test_outside_a_request_the_interface_is_english(app):
    with app.app_context():
        assert select_language() == "en"


def test_a_catalogue_is_read_once_per_process_not_per_request(app, client):
    """The German lesson page may cost at most 10 % more than the English one
    (docs/performance.md): the catalogue must come from Flask-Babel's cache."""
    seen = []
    for _ in range(2):
        with app.test_request_context(headers={"Accept-Language": "de"}):
            seen.append(get_translations())
    assert seen[0] is seen[1]
    assert seen[0].gettext("Sign in") == "Anmelden"
