"""A path certificate needs its modules and its observed practice, whichever comes last
(the fixture path ``fixture-practice``: the module basics; the scenarios crisis, 2
sessions, and first-meeting, 1 session)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from academy.core import clock
from academy.core.catalogue import current_catalogue
from academy.modules.accounts.models import Role
from academy.modules.certificates import services
from tests.modules.certificates.test_lifecycle import certificate, complete
from tests.modules.practice.helpers import PATH, complete_practice, observe


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER, "trainer-kim", "Kim")


def missing(trainee) -> tuple[list[str], list[str]]:
    return services.missing_for_path(trainee.id, current_catalogue().paths[PATH])


def test_the_last_observed_session_issues_the_path_certificate(trainee, trainer):
    complete(trainee, "basics")
    assert certificate(trainee, PATH, kind="path") is None
    assert missing(trainee) == ([], ["crisis", "first-meeting"])

    observe(trainee, trainer, "crisis", date(2026, 1, 5))
    observe(trainee, trainer, "first-meeting", date(2026, 1, 5))
    assert missing(trainee) == ([], ["crisis"])  # one day of two
    assert certificate(trainee, PATH, kind="path") is None

    observe(trainee, trainer, "crisis", date(2026, 1, 12))

    issued = certificate(trainee, PATH, kind="path")
    assert issued.subject_title == "Fixture practice — basics and observed practice"
    assert missing(trainee) == ([], [])


def test_the_last_module_issues_it_when_the_practice_came_first(trainee, trainer):
    complete_practice(trainee, trainer)
    assert certificate(trainee, PATH, kind="path") is None  # practice alone is not enough
    assert missing(trainee) == (["basics"], [])

    complete(trainee, "basics")

    assert certificate(trainee, PATH, kind="path") is not None


@pytest.mark.parametrize(
    "sessions",
    [
        # a criterion "not yet" keeps a session from counting, even if met another time
        [("2026-01-05", ("crisis-rule",)), ("2026-01-12", ("no-story-questions",))],
        # two complete sessions on one day count once
        [("2026-01-05", ()), ("2026-01-05", ())],
        # one complete day and one incomplete one
        [("2026-01-05", ()), ("2026-01-12", ("crisis-rule",))],
    ],
)
def test_every_criterion_met_on_enough_different_days(trainee, trainer, sessions):
    complete(trainee, "basics")
    observe(trainee, trainer, "first-meeting")
    for day, not_yet in sessions:
        observe(trainee, trainer, "crisis", date.fromisoformat(day), not_yet=not_yet)

    assert missing(trainee) == ([], ["crisis"])
    assert certificate(trainee, PATH, kind="path") is None


def test_a_later_session_renews_nothing_but_a_refresher_does(trainee, trainer):
    complete(trainee, "basics")
    complete_practice(trainee, trainer)
    issued = certificate(trainee, PATH, kind="path")
    expires = issued.expires_at
    clock.travel(timedelta(days=40))

    observe(trainee, trainer, "crisis", not_yet=("crisis-rule",))
    assert certificate(trainee, PATH, kind="path").expires_at == expires

    complete(trainee, "basics")  # the module's refresher renews the path too
    assert certificate(trainee, PATH, kind="path").expires_at > expires


def test_the_trainees_path_standing_names_modules_and_open_criteria(trainee, trainer):
    observe(trainee, trainer, "crisis", date(2026, 1, 5), not_yet=("crisis-rule",))

    standing = {s.path.slug: s for s in services.path_standings(trainee.id)}[PATH]

    assert [(m.slug, m.title, m.completed, m.done) for m in standing.modules] == [
        ("basics", "Basics", False, False)
    ]
    assert (standing.certified, standing.open_modules) == (False, 1)
    crisis, first = standing.practice.scenarios
    assert (crisis.days_complete, crisis.sessions_needed, crisis.complete) == (0, 2, False)
    assert crisis.last_observed_on == date(2026, 1, 5)
    assert [crisis.state(c.id) for c in crisis.scenario.criteria] == ["met", "not_yet"]
    assert first.last_observed_on is None
    assert first.state("names-the-limits") == "not_recorded"
