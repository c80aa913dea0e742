"""The trainer records observed practice: the checklist form, its refusals, the sessions on
the trainee's page (fixture path ``fixture-practice``: scenarios crisis and first-meeting)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from academy.core import clock
from academy.core.dates import local_today
from academy.modules.accounts.models import Role
from academy.modules.practice import services as practice
from tests.conftest import csrf_token_from
from tests.modules.practice.helpers import PATH, observe

CRISIS = f"/practice/{PATH}/crisis"


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER, "trainer-one", "Trainer Kim")


def url(trainee, scenario: str = CRISIS) -> str:
    return f"/trainer/trainees/{trainee.id}{scenario}"


def checklist(**changes) -> dict[str, str]:
    return {
        "observed_on": local_today().isoformat(),
        "criterion-no-story-questions": "met",
        "criterion-crisis-rule": "not_yet",
        "note": "Calm; went to the coordinator too late.",
    } | changes


def test_the_form_shows_the_checklist_the_setup_and_who_reads_the_note(
    client, auth, trainer, trainee
):
    auth.sign_in(trainer)
    page = client.get(url(trainee)).text
    assert "Role-play: a client speaks of not wanting to live" in page
    assert "You play a client who says they do not want to live any more." in page
    assert "<legend>Asks no questions about the story.</legend>" in page
    assert page.count('type="radio"') == 4  # met / not yet for each of two criteria
    assert 'name="criterion-crisis-rule" type="radio" value="not_yet"' in page
    assert "checked" not in page  # no default: the trainer marks every criterion
    assert "centres never do" in page and "their own data download" in page
    assert f'value="{local_today().isoformat()}"' in page


@pytest.mark.parametrize(
    ("utc", "berlin_day"),
    [
        (datetime(2026, 12, 4, 23, 30), "2026-12-05"),  # after midnight in Berlin
        (datetime(2026, 12, 4, 12, 0), "2026-12-04"),
    ],
)
def test_the_date_is_today_in_the_trainees_time_zone_and_accepted(
    client, auth, trainer, trainee, utc, berlin_day
):
    clock.freeze(utc)
    auth.sign_in(trainer)
    field = re.search(r'<input[^>]*id="observed_on"[^>]*>', client.get(url(trainee)).text)
    assert f'value="{berlin_day}"' in field.group(0)
    response = client.post(url(trainee), data=checklist(observed_on=berlin_day))
    assert response.status_code == 302  # today there is not "in the future"
    assert practice.sessions_of(trainee.id)[0].observed_on.isoformat() == berlin_day


@pytest.mark.parametrize("app_config", [{"ACADEMY_TIME_ZONE": "America/New_York"}], indirect=True)
def test_the_date_follows_the_configured_time_zone(client, auth, trainer, trainee):
    clock.freeze(datetime(2026, 12, 5, 2, 0))  # still the evening before in New York
    auth.sign_in(trainer)
    assert 'value="2026-12-04"' in client.get(url(trainee)).text


def test_a_trainer_records_a_session_and_sees_it_on_the_trainees_page(
    client, auth, trainer, trainee
):
    auth.sign_in(trainer)
    response = client.post(url(trainee), data=checklist())
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/trainer/trainees/{trainee.id}")

    (session,) = practice.sessions_of(trainee.id)
    assert session.results == {"no-story-questions": True, "crisis-rule": False}
    assert (session.observer, session.note) == ("Trainer Kim", checklist()["note"])
    page = client.get(f"/trainer/trainees/{trainee.id}").text
    assert "The session of &#39;Role-play: a client speaks of not wanting to live&#39;" in page
    assert '<span class="state state-not_yet">Not yet</span>: Hands over by' in page
    assert "Private note: Calm; went to the coordinator too late." in page
    assert "on different days: 0 of 2" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"criterion-crisis-rule": ""}, "Please mark this criterion: met or not yet."),
        ({"criterion-crisis-rule": "maybe"}, "Please mark this criterion: met or not yet."),
        ({"observed_on": ""}, "Please give the date of the session (year-month-day)."),
        ({"observed_on": "yesterday"}, "Please give the date of the session (year-month-day)."),
        (
            {"observed_on": (date.today() + timedelta(days=2)).isoformat()},
            "The date of a session cannot be in the future.",
        ),
        ({"note": "x" * 2001}, "Field cannot be longer than 2000 characters."),
    ],
)
def test_bad_values_are_refused_on_the_form_and_nothing_is_stored(
    client, auth, trainer, trainee, changes, message
):
    auth.sign_in(trainer)
    response = client.post(url(trainee), data=checklist(**changes))
    assert response.status_code == 400
    assert message in response.text
    assert practice.sessions_of(trainee.id) == []
    if "note" not in changes:  # what was typed is kept
        assert "went to the coordinator too late" in response.text


def test_unknown_scenarios_and_people_are_not_found(client, auth, trainer, trainee, make_user):
    auth.sign_in(trainer)
    coordinator = make_user(Role.CENTRE)
    for address in (
        url(trainee, f"/practice/{PATH}/nope"),
        url(trainee, "/practice/fixture-path/crisis"),  # a path without practice
        url(trainee, "/practice/nope/crisis"),
        f"/trainer/trainees/{coordinator.id}{CRISIS}",  # only trainees are observed
        f"/trainer/trainees/{trainer.id}{CRISIS}",
        f"/trainer/trainees/99999999999999999999{CRISIS}",
    ):
        assert client.get(address).status_code == 404, address
        assert client.post(address, data=checklist()).status_code == 404, address
    assert practice.sessions_of(trainee.id) == []


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.CENTRE])
def test_only_trainers_and_admins_record(client, auth, make_user, trainee, role):
    auth.sign_in(make_user(role))
    assert client.get(url(trainee)).status_code == 403
    assert client.post(url(trainee), data=checklist()).status_code == 403
    assert practice.sessions_of(trainee.id) == []


def test_an_admin_records_too(client, auth, make_user, trainee):
    auth.sign_in(make_user(Role.ADMIN))
    assert client.post(url(trainee), data=checklist()).status_code == 302
    assert len(practice.sessions_of(trainee.id)) == 1


def test_recording_needs_the_csrf_token(app, client, auth, trainer, trainee):
    app.config["WTF_CSRF_ENABLED"] = True
    auth.sign_in(trainer)
    assert client.post(url(trainee), data=checklist()).status_code == 400
    assert practice.sessions_of(trainee.id) == []

    token = csrf_token_from(client.get(url(trainee)).text)
    assert client.post(url(trainee), data=checklist(csrf_token=token)).status_code == 302
    assert len(practice.sessions_of(trainee.id)) == 1


def test_the_trainees_page_shows_progress_and_carried_over_sessions(client, auth, trainer, trainee):
    observe(trainee, trainer, "first-meeting")
    auth.sign_in(trainer)
    page = client.get(f"/trainer/trainees/{trainee.id}").text
    assert "Role-play: a first meeting" in page
    assert page.count(">Complete</p>") == 1 and page.count(">Open</p>") == 1
    assert f'href="/trainer/trainees/{trainee.id}{CRISIS}"' in page
