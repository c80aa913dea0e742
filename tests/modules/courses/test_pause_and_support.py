"""Every lesson page: "Pause here" saves the place, and "Need support?" says where to turn."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import select

from academy.core import support
from academy.core.config import DEFAULT_SUPPORT_TEXT
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.centres import coordinators, membership, support_contacts
from academy.modules.progress.models import ModuleProgress
from tests.conftest import AuthActions, csrf_token_from

FIRST = "/modules/basics/lessons/first-steps"
SECOND = "/modules/basics/lessons/next-steps"
SAVED = "Your place is saved. Come back whenever you are ready."
GENERAL = DEFAULT_SUPPORT_TEXT.replace("'", "&#39;")


@pytest.fixture
def signed_in(client, auth, trainee):
    auth.sign_in(trainee)
    return client


@pytest.fixture
def centre_with_contact(make_user):
    def make(name: str, contact: str | None, peer=None):
        centre = coordinators.create_centre(name, make_user(Role.CENTRE))
        centre.support_contact = contact
        if peer is not None:
            membership.join_centre(peer, centre.invite_code, consent=True)
        db.session.commit()
        return centre

    return make


def support_box(page: str) -> str:
    start = page.index('<aside class="support"')
    return page[start : page.index("</aside>", start)]


def last_lesson(user_id: int) -> str | None:
    db.session.expire_all()
    return db.session.scalar(
        select(ModuleProgress.last_lesson_slug).filter_by(user_id=user_id, module_slug="basics")
    )


# --- pause --------------------------------------------------------------------------------


def test_every_lesson_page_offers_to_pause(signed_in):
    page = signed_in.get(FIRST).text

    assert f'<form method="post" action="{FIRST}/pause" class="pause-form">' in page
    assert '<button type="submit" class="button secondary">Pause here</button>' in page
    assert "Saves your place and takes you back to your modules." in page


def test_pausing_saves_the_place_and_goes_to_the_catalogue(signed_in, trainee):
    response = signed_in.post(f"{SECOND}/pause")

    assert response.status_code == 302
    assert response.location == "/modules"
    assert last_lesson(trainee.id) == "next-steps"
    catalogue = signed_in.get("/modules").text
    assert SAVED in catalogue
    assert f'<a href="{SECOND}">Continue: Next steps</a>' in catalogue
    # the message is shown once
    assert SAVED not in signed_in.get("/modules").text


def test_pausing_needs_a_valid_csrf_token(app, client, auth, trainee):
    app.config["WTF_CSRF_ENABLED"] = True
    auth.sign_in(trainee)
    page = client.get(SECOND).text
    assert 'id="csrf_token"' not in page  # four forms (one: the language), no duplicate id
    assert page.count('<input type="hidden" name="csrf_token" value="') == 4

    assert client.post(f"{SECOND}/pause").status_code == 400

    response = client.post(f"{SECOND}/pause", data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302 and response.location == "/modules"


def test_pausing_in_a_locked_module_does_nothing(signed_in, trainee):
    response = signed_in.post("/modules/advanced/lessons/only/pause")

    assert response.location == "/modules/advanced"
    assert SAVED not in signed_in.get("/modules").text


def test_pausing_an_unknown_lesson_is_not_found(signed_in):
    assert signed_in.post("/modules/basics/lessons/no-such-lesson/pause").status_code == 404


# --- support ------------------------------------------------------------------------------


def test_every_lesson_page_shows_the_general_support(signed_in):
    box = support_box(signed_in.get(FIRST).text)

    assert '<h2 id="support-heading">Need support?</h2>' in box
    assert GENERAL in box
    assert '<a href="/safety">Staying safe online</a>' in box
    assert "<ul>" not in box  # no centre, no list


@pytest.mark.parametrize(
    "app_config", [{"ACADEMY_SUPPORT_TEXT": "Ring the helpline: 0800 000 000."}], indirect=True
)
def test_the_operator_sets_the_general_support_text(signed_in):
    box = support_box(signed_in.get(FIRST).text)

    assert "Ring the helpline: 0800 000 000." in box
    assert GENERAL not in box


def test_the_lesson_shows_the_contacts_of_the_trainees_centres(
    signed_in, trainee, centre_with_contact
):
    centre_with_contact("Harbour Centre", "Sam, Mon–Fri 9–17\n0123 456 789", peer=trainee)
    centre_with_contact("Another Centre", "Not for this trainee")  # not joined
    centre_with_contact("Quiet Centre", None, peer=trainee)  # joined, no contact

    box = support_box(signed_in.get(FIRST).text)

    assert (
        '<li><strong>Harbour Centre</strong>: <span class="support-contact">'
        "Sam, Mon–Fri 9–17\n0123 456 789</span></li>" in box
    )
    assert "Another Centre" not in box and "Not for this trainee" not in box
    assert "Quiet Centre" not in box
    assert GENERAL in box  # the general advice is always there


def test_a_centre_the_trainee_stopped_sharing_with_is_not_shown(
    signed_in, trainee, centre_with_contact
):
    centre = centre_with_contact("Harbour Centre", "Call Sam", peer=trainee)
    membership.withdraw_consent(trainee, centre.id)
    db.session.commit()

    assert "Harbour Centre" not in support_box(signed_in.get(FIRST).text)


def test_a_contact_is_shown_as_text_never_as_markup(signed_in, trainee, centre_with_contact):
    centre_with_contact("Harbour Centre", '<a href="https://evil.example">click</a>', peer=trainee)

    box = support_box(signed_in.get(FIRST).text)

    assert "&lt;a href=&#34;https://evil.example&#34;&gt;click&lt;/a&gt;" in box
    assert '<a href="https://evil.example">' not in box


def test_the_content_warning_page_shows_support_too(client, auth, make_user, centre_with_contact):
    trainer = make_user(Role.TRAINER)
    auth.sign_in(trainer)

    page = client.get("/modules/advanced/lessons/only").text

    assert "Before you start" in page
    assert GENERAL in support_box(page)


def test_support_contacts_for_lists_active_centres_with_a_contact(trainee, centre_with_contact):
    centre_with_contact("B Centre", "  Call B  ", peer=trainee)
    centre_with_contact("A Centre", "Call A", peer=trainee)
    centre_with_contact("C Centre", "   ", peer=trainee)

    assert support_contacts.support_contacts_for(trainee.id) == [
        ("A Centre", "Call A"),
        ("B Centre", "Call B"),
    ]


def test_support_providers_are_registered_once_and_combined(app, trainee):
    def provider(user_id: int) -> list[tuple[str, str]]:
        return [("Test helpline", f"for user {user_id}")]

    support.register_support_provider(app, provider)
    support.register_support_provider(app, provider)

    found = support.support_for(trainee.id)
    assert found.contacts.count(("Test helpline", f"for user {trainee.id}")) == 1
    assert found.general == DEFAULT_SUPPORT_TEXT


def test_courses_never_import_centres():
    """Support contacts reach lessons through core; the dependency still points one way."""
    folder = Path(__file__).parents[3] / "academy" / "modules" / "courses"
    for file in folder.glob("*.py"):
        for node in ast.walk(ast.parse(file.read_text())):
            if isinstance(node, ast.ImportFrom):
                assert not (node.module or "").startswith("academy.modules.centres"), file
            elif isinstance(node, ast.Import):
                assert not any(a.name.startswith("academy.modules.centres") for a in node.names)


# --- the coordinator sets the contact -------------------------------------------------------


def test_a_coordinator_sets_the_contact_their_peers_see(app, make_user, trainee):
    coordinator = make_user(Role.CENTRE)
    centre = coordinators.create_centre("Harbour Centre", coordinator)
    membership.join_centre(trainee, centre.invite_code, consent=True)
    db.session.commit()
    staff, peer = app.test_client(), app.test_client()
    AuthActions(staff).sign_in(coordinator)
    AuthActions(peer).sign_in(trainee)

    dashboard = staff.get("/centre").text
    assert '<form method="post" action="/centre/support" class="stack">' in dashboard
    assert '<label for="support_contact">Support contact for your peers</label>' in dashboard

    response = staff.post("/centre/support", data={"support_contact": "  Call Sam: 0123 456  "})

    assert response.location == "/centre"
    assert "The support contact is saved." in staff.get("/centre").text
    assert ">Call Sam: 0123 456</textarea>" in staff.get("/centre").text
    assert "Call Sam: 0123 456" in support_box(peer.get(FIRST).text)

    staff.post("/centre/support", data={"support_contact": ""})
    db.session.expire_all()
    assert coordinators.centre_for_coordinator(coordinator).support_contact is None
    assert "Harbour Centre" not in support_box(peer.get(FIRST).text)


def test_a_support_contact_has_a_length_limit(client, auth, make_user):
    coordinator = make_user(Role.CENTRE)
    coordinators.create_centre("Harbour Centre", coordinator)
    db.session.commit()
    auth.sign_in(coordinator)

    client.post("/centre/support", data={"support_contact": "x" * 1001})

    assert "at most 1000 characters" in client.get("/centre").text
    db.session.expire_all()
    assert coordinators.centre_for_coordinator(coordinator).support_contact is None


def test_only_coordinators_set_a_support_contact(signed_in):
    assert signed_in.post("/centre/support", data={"support_contact": "x"}).status_code == 403
