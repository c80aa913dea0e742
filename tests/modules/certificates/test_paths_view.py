"""The trainee's paths page: modules, and the observed practice still open, without the
trainer's private note (fixture path ``fixture-practice``)."""

from __future__ import annotations

from datetime import date

import pytest

from academy.modules.accounts.models import Role
from tests.modules.certificates.test_lifecycle import complete
from tests.modules.practice.helpers import complete_practice, observe


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER, "trainer-kim", "Kim")


def test_the_certificates_page_and_the_catalogue_lead_to_the_paths(client, auth, trainee):
    auth.sign_in(trainee)
    assert 'href="/certificates/paths"' in client.get("/certificates").text
    assert 'href="/certificates/paths"' in client.get("/modules").text


def test_the_trainee_sees_which_criteria_are_still_open(client, auth, trainee, trainer):
    observe(trainee, trainer, on=date(2026, 1, 5), not_yet=("crisis-rule",), note="talk to Ayo")
    auth.sign_in(trainee)

    page = client.get("/certificates/paths").text

    assert "<h2" in page and "Fixture practice — basics and observed practice</h2>" in page
    assert '<a href="/modules/basics">Basics</a>: not completed yet' in page
    assert "Sessions with every point met: 0 of 2." in page
    assert "In your last session (2026-01-05):" in page
    assert '<span class="state state-met">Met</span>: Asks no questions about the story.' in page
    assert '<span class="state state-not_yet">Not yet</span>: Hands over by the centre' in page
    # the first meeting is not observed yet: its checklist, without states
    assert "What your trainer looks for (not observed yet):" in page
    assert "<li>Names the limits of confidentiality.</li>" in page
    assert "talk to Ayo" not in page  # the trainer's private note stays with trainers
    assert "You hold this path" not in page


def test_a_complete_path_shows_the_certificate_and_no_open_criteria(client, auth, trainee, trainer):
    complete(trainee, "basics")
    complete_practice(trainee, trainer)
    auth.sign_in(trainee)

    page = client.get("/certificates/paths").text

    practice_part = page.split("Fixture practice — basics and observed practice</h2>")[1]
    assert "You hold this path's certificate" in practice_part.split("</section>")[0]
    assert practice_part.count("<strong>Complete.</strong>") == 2
    assert "Still" not in practice_part and "Not yet" not in practice_part


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/certificates/paths")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
