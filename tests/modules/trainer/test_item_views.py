"""Item analysis pages over HTTP: who may see them, what they show, the CSV, and 404s."""

from __future__ import annotations

import re

import pytest

from academy.modules.accounts.models import Role
from tests.modules.trainer.helpers import (
    ALL_RIGHT,
    SIX_SHEETS,
    TRAINEE_NAME,
    record_attempts,
    trainees_submit,
)

PAGES = ["/trainer/items/", "/trainer/items/basics/1.0", "/trainer/items/basics/1.0/items.csv"]


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER, "trainer-one", "Trainer Kim")


def text_of(html: str) -> str:
    """The page's words, without tags (inline ones run on) and with single spaces."""
    html = re.sub(r"</?(a|strong|code)\b[^>]*>", "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.CENTRE])
def test_trainees_and_coordinators_are_refused(client, auth, make_user, role):
    trainees_submit(make_user, SIX_SHEETS)
    auth.sign_in(make_user(role))

    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 403, page
        assert "q-sky" not in response.text and "66.7" not in response.text
    assert "Item analysis" not in client.get("/modules").text  # not in their navigation


def test_anonymous_visitors_are_sent_to_sign_in(client, make_user):
    trainees_submit(make_user, SIX_SHEETS)

    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.TRAINER, Role.ADMIN])
def test_trainers_and_admins_find_it_in_their_navigation(client, auth, make_user, role):
    trainees_submit(make_user, SIX_SHEETS)
    auth.sign_in(make_user(role))

    navigation = client.get("/modules").text
    assert '<a href="/trainer/items/">Item analysis</a>' in navigation
    index = text_of(client.get("/trainer/items/").text)
    assert "Basics Version 1.0 (the current version): 6 trainees, 6 attempts in all" in index
    assert '<a href="/trainer/items/basics/1.0">' in client.get("/trainer/items/").text


def test_the_page_shows_the_figures_and_names_the_method(client, auth, make_user, trainer):
    trainees_submit(make_user, SIX_SHEETS)
    auth.sign_in(trainer)

    page = text_of(client.get("/trainer/items/basics/1.0").text)

    assert "6 attempts analysed: each trainee's first submitted attempt" in page
    assert "Discrimination is the point-biserial correlation between a question's score" in page
    assert "and the rest-score: how many of the attempt's other questions it got right" in page
    # the figures worked out in test_item_analysis.py, question by question
    assert (
        "Question 1: What colour is the sky on a clear day? Id q-sky Attempts 6 "
        "Facility 66.7 % right Discrimination 0.343 Flags none"
    ) in page
    assert "Blue the right option 4 (66.7 %) Green 2 (33.3 %)" in page
    assert "Facility 50.0 % right Discrimination 0.000" in page
    assert "Apple the right option 5 (83.3 %) Carrot 1 (16.7 %) Pear the right option 4" in page
    assert "No question is flagged." in page
    assert TRAINEE_NAME not in page


def test_flags_are_words_on_the_page(client, auth, make_user, trainer):
    trainees_submit(make_user, [ALL_RIGHT] * 5)
    auth.sign_in(trainer)

    page = text_of(client.get("/trainer/items/basics/1.0").text)

    # everybody right everywhere: every question too easy, r not defined, and every
    # wrong option a distractor nobody picks
    assert (
        "Questions to look at Question 1: too easy (over 90 % right); "
        "a distractor nobody picks (option 2) Question 2: too easy (over 90 % right); "
        "a distractor nobody picks (option 2) Question 3: too easy (over 90 % right); "
        "a distractor nobody picks (option 1, 3)"
    ) in page
    assert "Discrimination not defined: every attempt got it right" in page
    assert "Green a distractor nobody picks 0 (0.0 %)" in page


def test_fewer_than_five_attempts_show_no_figures(client, auth, make_user, trainer):
    trainees_submit(make_user, SIX_SHEETS[:4])
    auth.sign_in(trainer)

    page = text_of(client.get("/trainer/items/basics/1.0").text)

    assert "Fewer than 5 attempts at this version: no figures yet" in page
    assert page.count("Attempts 4 Figures Too few attempts") == 3
    assert "% right" not in page.replace("over 90 % right", "").replace("under 30 % right", "")
    assert "Blue" not in page and "(25.0 %)" not in page


def test_an_old_version_shows_question_ids_and_says_the_text_is_gone(client, auth, make_user):
    rows = [(["q-old"], {"q-old": n < 3}) for n in range(5)]
    record_attempts(make_user, "0.9", rows + [(["q-old"], None)])
    auth.sign_in(make_user(Role.TRAINER))

    page = text_of(client.get("/trainer/items/basics/0.9").text)

    assert "This version's content is no longer loaded" in page
    assert "5 attempts analysed" in page
    assert "1 more was submitted before results per question were recorded" in page
    assert "Question q-old The text is not available. Attempts 5 Facility 60.0 % right" in page
    assert "the options of this question are not available" in page


def test_the_csv_download(client, auth, make_user, trainer):
    trainees_submit(make_user, SIX_SHEETS)
    auth.sign_in(trainer)

    response = client.get("/trainer/items/basics/1.0/items.csv")

    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="item-analysis-basics-1.0.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    lines = response.text.removeprefix("\ufeff").splitlines()
    assert lines[0].startswith("module,version,number,question,question_text,option")
    assert (
        lines[1] == "basics,1.0,1,q-sky,What colour is the sky on a clear day?,,,,6,66.7,0.343,,,,"
    )  # noqa: E501
    assert TRAINEE_NAME not in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/trainer/items/basics/2.0",
        "/trainer/items/nowhere/1.0",
        "/trainer/items/advanced/1.0/items.csv",
        "/trainer/items/basics/99999999999999999999",
        "/trainer/items/" + "x" * 5000 + "/1.0",
        "/trainer/items/basics/" + "9" * 5000 + "/items.csv",
        "/trainer/items/basics/1.0/../../etc/passwd",
    ],
)
def test_unknown_modules_and_versions_are_not_found(client, auth, make_user, trainer, path):
    trainees_submit(make_user, SIX_SHEETS)
    auth.sign_in(trainer)

    assert client.get(path).status_code == 404
