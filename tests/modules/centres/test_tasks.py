"""A centre's tasks and their requirements, checked against the loaded catalogue."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from werkzeug.exceptions import NotFound

from academy.core.errors import UserError
from academy.core.extensions import db
from academy.modules.centres import tasks
from tests.modules.centres.helpers import add_task, make_centre


def test_requirement_choices_come_from_the_loaded_catalogue(app):
    groups = {g.label: [r.value for r in g.requirements] for g in tasks.requirement_groups()}
    assert groups == {
        "Module certificates": ["module:basics", "module:advanced"],
        "Path certificates": ["path:fixture-path", "path:fixture-practice"],
    }
    titles = {r.value: r.title for g in tasks.requirement_groups() for r in g.requirements}
    # a path with observed practice says so; the certificate includes it
    assert titles["path:fixture-practice"] == (
        "Fixture practice — basics and observed practice (modules and observed practice)"
    )
    assert titles["path:fixture-path"] == "Fixture path — both modules"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["module:nope"], "'nope' is not in the current curriculum"),
        (["path:basics"], "'basics' is not in the current curriculum"),
        # practical attestations were replaced by the observed practice of a path
        (["attestation:fixture-practice/practice"], "is not in the current curriculum"),
        (["certificate:basics"], "is not in the current curriculum"),
        ([], "at least one"),
    ],
)
def test_task_requirements_are_checked_against_the_catalogue(centre, values, message):
    with pytest.raises(UserError, match=message) as caught:
        tasks.save_task(centre, "Lead a group session", "", values)
    assert caught.value.field == "requirements"
    assert tasks.tasks_of(centre) == []


def test_a_task_is_saved_edited_and_deleted(centre):
    task = tasks.save_task(
        centre, "  Lead   a group session ", "With a counsellor", ["module:basics", "module:basics"]
    )
    db.session.commit()
    assert task.title == "Lead a group session"
    assert tasks.task_requirement_values(task) == ["module:basics"]

    tasks.save_task(
        centre, "Lead a group", "", ["path:fixture-path", "path:fixture-practice"], task,
    )  # fmt: skip
    db.session.commit()
    assert task.title == "Lead a group"
    assert sorted(tasks.task_requirement_values(task)) == [
        "path:fixture-path",
        "path:fixture-practice",
    ]
    assert tasks.delete_task(centre, task.id) == "Lead a group"
    db.session.commit()
    assert tasks.tasks_of(centre) == []
    assert db.session.scalar(text("SELECT count(*) FROM centre_task_requirements")) == 0


def test_task_titles_are_unique_within_a_centre_only(centre, make_user):
    add_task(centre, "Lead a group session", "module:basics")
    with pytest.raises(UserError, match="already has a task") as caught:
        tasks.save_task(centre, "lead a GROUP session", "", ["module:basics"])
    assert caught.value.field == "title"
    other = make_centre(make_user, "Centre B")
    assert tasks.save_task(other, "Lead a group session", "", ["module:basics"])


def test_another_centres_task_does_not_exist(centre, make_user):
    other = make_centre(make_user, "Centre B")
    task = add_task(other, "Lead a group session", "module:basics")
    for action in (tasks.get_task, tasks.delete_task):
        with pytest.raises(NotFound):
            action(centre, task.id)
