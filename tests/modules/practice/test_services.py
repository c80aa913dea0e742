"""Observed practice through its services: recording, what was recorded, the rule, the
signal, the data download and the demo session (fixture path ``fixture-practice``)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from academy.core.catalogue import current_catalogue
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.core.signals import observation_recorded
from academy.modules.accounts.models import Role
from academy.modules.practice import privacy
from academy.modules.practice import services as practice
from academy.modules.practice.demo import DEMO_NOTE, record_demo_session
from academy.modules.practice.models import ObservationResult, ObservationSession
from tests.modules.practice.helpers import PATH, observe

BOTH_MET = {"no-story-questions": practice.MET, "crisis-rule": practice.MET}


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER, "trainer-kim", "Kim")


def record(trainee, trainer, results=BOTH_MET, on=None, scenario="crisis", path=PATH, note=""):
    return practice.record_session(
        trainee, path, scenario, on or date.today(), results, note, by=trainer
    )


@pytest.mark.parametrize(
    ("changes", "message", "field"),
    [
        ({"scenario": "nope"}, "has no such practice scenario", None),
        ({"path": "fixture-path"}, "has no such practice scenario", None),
        ({"on": date.today() + timedelta(days=1)}, "cannot be in the future", "observed_on"),
        (
            {"results": {"no-story-questions": practice.MET}},
            "Please mark 'Hands over by the centre's crisis rule.' as met or not yet.",
            "crisis-rule",
        ),
        (
            {"results": BOTH_MET | {"crisis-rule": practice.NOT_RECORDED}},
            "as met or not yet",
            "crisis-rule",
        ),
        ({"results": BOTH_MET | {"gone": practice.MET}}, "This checklist has changed", None),
        ({"note": "x" * 2001}, "at most 2000 characters", "note"),
    ],
)
def test_bad_sessions_are_refused_with_a_reason(trainee, trainer, changes, message, field):
    with pytest.raises(UserError, match=message) as refused:
        record(trainee, trainer, **changes)
    assert refused.value.field == field
    assert practice.sessions_of(trainee.id) == []


def test_only_trainers_record_and_only_for_trainees(trainee, trainer, make_user):
    with pytest.raises(UserError, match="Only trainers"):
        record(trainee, make_user(Role.CENTRE))
    with pytest.raises(UserError, match="for trainees only"):
        record(make_user(Role.CENTRE), trainer)
    record(trainee, make_user(Role.ADMIN))  # admins may
    assert len(practice.sessions_of(trainee.id)) == 1


def test_a_session_keeps_every_criterion_and_the_note(trainee, trainer):
    observe(trainee, trainer, on=date(2026, 2, 1), not_yet=("crisis-rule",), note="  kind  ")
    observe(trainee, trainer, "first-meeting", on=date(2026, 2, 3))

    newest, older = practice.sessions_of(trainee.id)

    assert (newest.scenario_id, newest.observed_on, newest.all_met) == (
        "first-meeting",
        date(2026, 2, 3),
        True,
    )
    assert older.results == {"no-story-questions": True, "crisis-rule": False}
    assert (older.state("crisis-rule"), older.state("no-story-questions")) == ("not_yet", "met")
    assert (older.note, older.observer, older.all_met) == ("kind", "Kim", False)


def test_a_criterion_without_a_result_is_not_recorded_and_never_met(trainee, trainer):
    """A carried-over attestation, or a criterion added to the checklist later."""
    session = ObservationSession(
        user_id=trainee.id, path_slug=PATH, scenario_id="crisis", observed_on=date(2026, 1, 5)
    )
    db.session.add(session)
    db.session.flush()
    db.session.add(ObservationResult(session_id=session.id, criterion_id="crisis-rule", met=True))
    db.session.commit()

    (recorded,) = practice.sessions_of(trainee.id)
    assert recorded.state("no-story-questions") == "not_recorded"
    assert not recorded.all_met
    progress = practice.practice_progress(trainee.id, current_catalogue().paths[PATH])
    assert progress.scenarios[0].days_complete == 0
    assert progress.scenarios[0].state("no-story-questions") == "not_recorded"


def test_progress_reads_the_last_session_and_counts_complete_days(trainee, trainer):
    path = current_catalogue().paths[PATH]
    observe(trainee, trainer, on=date(2026, 1, 5))
    observe(trainee, trainer, on=date(2026, 1, 9), not_yet=("no-story-questions",))

    crisis, first = practice.practice_progress(trainee.id, path).scenarios

    assert (crisis.days_complete, crisis.sessions_needed) == (1, 1)
    assert crisis.last_observed_on == date(2026, 1, 9)
    assert crisis.state("no-story-questions") == "not_yet"  # the last session, not the best
    assert (first.days_complete, first.last_observed_on, first.complete) == (0, None, False)
    assert not practice.is_practice_complete(trainee.id, path)

    observe(trainee, trainer, on=date(2026, 1, 12))
    observe(trainee, trainer, "first-meeting", on=date(2026, 1, 12))
    assert practice.is_practice_complete(trainee.id, path)
    # another trainee's sessions and another path's count for nobody else
    assert practice.practice_progress(trainer.id, path).open_scenarios == [
        "crisis",
        "first-meeting",
    ]


def test_a_path_without_practice_is_complete_without_a_query(trainee):
    path = current_catalogue().paths["fixture-path"]
    assert practice.practice_progress(trainee.id, path).scenarios == ()
    assert practice.is_practice_complete(trainee.id, path)


def test_recording_sends_observation_recorded_with_the_path(app, trainee, trainer):
    received = []

    def receive(sender, **kwargs):
        received.append((sender, kwargs))

    with observation_recorded.connected_to(receive):
        observe(trainee, trainer)
    assert received == [(trainee.id, {"path_slug": PATH})]


def test_the_data_download_holds_every_session_with_the_private_note(trainee, trainer):
    observe(trainee, trainer, on=date(2026, 1, 5), not_yet=("crisis-rule",), note="private")
    observe(trainee, trainer, "first-meeting", on=date(2026, 1, 9))

    assert privacy.export_observed_practice(trainee.id) == [
        {
            "path_slug": PATH,
            "scenario_id": "crisis",
            "observed_on": "2026-01-05",
            "note": "private",
            "criteria": {"crisis-rule": "Not yet", "no-story-questions": "Met"},
        },
        {
            "path_slug": PATH,
            "scenario_id": "first-meeting",
            "observed_on": "2026-01-09",
            "note": "",
            "criteria": {"names-the-limits": "Met"},
        },
    ]


def test_the_demo_session_is_recorded_once_with_one_criterion_open(trainee, trainer):
    assert record_demo_session(trainer, trainee) is not None
    assert record_demo_session(trainer, trainee) is None
    db.session.commit()

    (session,) = practice.sessions_of(trainee.id)
    assert (session.scenario_id, session.note) == ("crisis", DEMO_NOTE)
    assert session.results == {"no-story-questions": True, "crisis-rule": False}
    assert session.observed_on == date.today() - timedelta(days=7)
