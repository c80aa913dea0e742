"""The demo centre (``academy demo``) and ``academy centres create``."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from academy.core.config import PROJECT_ROOT
from academy.core.extensions import db
from academy.modules.accounts.models import Role, User
from academy.modules.centres import centre_facts, coordinators, demo, membership, tasks
from academy.modules.centres.models import ApiToken, Centre
from academy.modules.practice import services as practice
from tests.modules.centres.helpers import coordinator_of


@pytest.mark.parametrize(
    "app_config", [{"ACADEMY_CONTENT_DIR": str(PROJECT_ROOT / "content")}], indirect=True
)
def test_the_demo_centre_has_realistic_tasks_and_a_sharing_peer(make_user):
    coordinator = make_user(Role.CENTRE, "demo-centre")
    peer = make_user(Role.TRAINEE, "demo-trainee")
    centre = demo.create_demo_centre(coordinator, peer)
    db.session.commit()
    assert centre_facts.facts_of(centre) == demo.DEMO_FACTS
    again = demo.create_demo_centre(coordinator, peer)
    db.session.commit()
    assert again == centre and centre.name == "Demo centre"
    requirements = {task.title: sorted(tasks.task_requirement_values(task)) for task in
                    tasks.tasks_of(centre)}  # fmt: skip
    assert requirements == {
        "Accompany a client to an appointment": [
            "module:boundaries",
            "module:data-protection",
            "module:peer-role",
            "module:safe-listening",
        ],
        "Lead a group session": ["path:peer-advisor-core"],
        "Speak at an awareness event": [
            "module:data-protection",
            "module:multiplier-methods",
            "module:peer-role",
        ],
        "Support public relations work": ["module:data-protection", "module:peer-role"],
    }
    assert [entry.id for entry in membership.roster(centre)] == [peer.id]


def test_the_demo_centre_only_requires_content_that_exists(make_user):
    centre = demo.create_demo_centre(make_user(Role.CENTRE), make_user(Role.TRAINEE))
    assert tasks.tasks_of(centre) == []  # none of the fixture modules is used


def test_the_cli_creates_a_centre_with_its_coordinator(app, make_user):
    make_user(Role.CENTRE, "coord")
    result = app.test_cli_runner().invoke(
        args=["centres", "create", "Centre X", "--coordinator", "coord"]
    )
    assert result.exit_code == 0, result.output
    assert "Created the centre 'Centre X'" in result.output
    assert "Invite code for peers:" in result.output
    centre = db.session.scalar(select(Centre).filter_by(name="Centre X"))
    assert coordinators.format_invite_code(centre.invite_code) in result.output
    assert coordinator_of(centre).username == "coord"
    failed = app.test_cli_runner().invoke(
        args=["centres", "create", "Centre Y", "--coordinator", "nobody"]
    )
    assert failed.exit_code == 1 and "There is no account 'nobody'" in failed.output


def test_academy_demo_prints_the_accounts_and_creates_the_demo_centre(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    second = runner.invoke(args=["demo"])
    assert first.exit_code == second.exit_code == 0, first.output
    assert first.output == second.output
    assert "trainee   sign-in name: demo-trainee   password: trainee-demo-2026" in first.output
    assert db.session.scalar(select(ApiToken)) is None
    centre = db.session.scalar(select(Centre).filter_by(name=demo.DEMO_CENTRE_NAME))
    assert [entry.display_name for entry in membership.roster(centre)] == ["Sam"]
    # the demo trainee has one observed session, however often the command runs
    trainee = db.session.scalar(select(User).filter_by(username="demo-trainee"))
    assert [s.scenario_id for s in practice.sessions_of(trainee.id)] == ["crisis"]
