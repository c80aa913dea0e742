"""The coordinator fills in the centre's facts for the lessons (/centre/facts): labelled
fields, CSRF, limits checked before anything is saved, and only their own centre's."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from academy.core.content.facts import FACTS, FACTS_BY_NAME
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.centres import centre_facts
from tests.conftest import PASSWORD, csrf_token_from
from tests.modules.centres.helpers import coordinator_of, join, sign_in

EMERGENCY = "030 123 456 00, day and night"


def saved(centre) -> dict[str, str]:
    db.session.expire_all()
    return centre_facts.facts_of(centre)


def test_the_page_has_a_labelled_field_for_every_fact(as_a):
    page = as_a.get("/centre/facts").text

    assert '<form method="post" action="/centre/facts" class="stack">' in page
    for fact in FACTS:
        assert f'<label for="{fact.name}">{escape(fact.label)}</label>' in page
        assert f'maxlength="{fact.max_length}"' in page
        assert f'aria-describedby="{fact.name}-hint"' in page
    assert '<a href="/centre/facts">Lesson facts</a>' in page  # in the workspace's menu
    # The fixture content names no fact; the coordinator is told how much each is used.
    assert "Named in 0 lessons." in page


def test_a_coordinator_saves_and_clears_facts(as_a, centre_a):
    response = as_a.post(
        "/centre/facts",
        data={"emergency-number": f"  {EMERGENCY}  ", "expenses": "Tickets\r\nand printing"},
    )

    assert response.status_code == 302 and response.location == "/centre/facts"
    assert saved(centre_a) == {"emergency-number": EMERGENCY, "expenses": "Tickets and printing"}
    page = as_a.get("/centre/facts").text
    assert "The facts are saved. Your peers see them in their lessons." in page
    assert f'name="emergency-number" type="text" value="{EMERGENCY}"' in page
    assert "\r\nTickets and printing</textarea>" in page

    as_a.post("/centre/facts", data={"emergency-number": "", "expenses": "Tickets"})
    assert saved(centre_a) == {"expenses": "Tickets"}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("x" * 201, "This can have at most 200 characters."),
        ("030\x07123", "Please leave out control characters."),
    ],
)
def test_a_refused_value_changes_nothing_and_keeps_what_was_typed(as_a, centre_a, value, message):
    as_a.post("/centre/facts", data={"expenses": "Tickets"})

    response = as_a.post(
        "/centre/facts", data={"expenses": "Tickets and printing", "emergency-number": value}
    )

    assert response.status_code == 400
    assert f'<p class="error" id="emergency-number-error">{message}</p>' in response.text
    assert "\r\nTickets and printing</textarea>" in response.text  # nothing typed is lost
    assert saved(centre_a) == {"expenses": "Tickets"}  # nothing is saved


def test_a_long_rule_has_a_limit_of_its_own(as_a, centre_a):
    limit = FACTS_BY_NAME["expenses"].max_length

    assert as_a.post("/centre/facts", data={"expenses": "x" * limit}).status_code == 302
    response = as_a.post("/centre/facts", data={"expenses": "y" * (limit + 1)})

    assert response.status_code == 400 and f"at most {limit} characters" in response.text
    assert saved(centre_a) == {"expenses": "x" * limit}


def test_a_nul_byte_is_refused_before_the_view(as_a, centre_a):
    response = as_a.post("/centre/facts", data={"emergency-number": "030\x00 123"})

    assert response.status_code == 400
    assert saved(centre_a) == {}


def test_a_value_is_shown_as_text_on_the_form(as_a):
    as_a.post("/centre/facts", data={"gifts": '<script>alert("x")</script>'})

    page = as_a.get("/centre/facts").text

    assert "\r\n&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</textarea>" in page
    assert '<script>alert("x")' not in page


def test_a_coordinator_changes_only_their_own_centre(client, centre_a, centre_b):
    centre_facts.save_facts(centre_b, {"emergency-number": "040 RIVER"})
    db.session.commit()
    sign_in(client, coordinator_of(centre_a))

    assert "040 RIVER" not in client.get("/centre/facts").text
    client.post("/centre/facts", data={"emergency-number": EMERGENCY})

    assert saved(centre_a) == {"emergency-number": EMERGENCY}
    assert saved(centre_b) == {"emergency-number": "040 RIVER"}


@pytest.mark.parametrize("role", [Role.TRAINEE, Role.TRAINER, Role.ADMIN])
def test_only_coordinators_open_or_change_the_facts(client, make_user, centre_a, role):
    user = make_user(role)
    if role is Role.TRAINEE:
        join(user, centre_a)  # a peer of the centre, too
    sign_in(client, user)

    assert client.get("/centre/facts").status_code == 403
    assert client.post("/centre/facts", data={"emergency-number": "x"}).status_code == 403
    assert saved(centre_a) == {}


def test_signed_out_the_page_sends_to_sign_in(client, centre_a):
    assert client.get("/centre/facts").location.startswith("/sign-in")
    client.post("/centre/facts", data={"emergency-number": "x"})
    assert saved(centre_a) == {}


@pytest.mark.parametrize("app_config", [{"WTF_CSRF_ENABLED": True}], indirect=True)
def test_saving_needs_the_csrf_token(client, centre_a):
    login = client.get("/sign-in").text
    client.post(
        "/sign-in",
        data={
            "username": coordinator_of(centre_a).username,
            "password": PASSWORD,
            "csrf_token": csrf_token_from(login),
        },
    )
    page = client.get("/centre/facts").text
    form = re.search(r'<form method="post" action="/centre/facts".*?</form>', page, re.S)
    assert 'name="csrf_token"' in form.group(0)

    assert client.post("/centre/facts", data={"expenses": "Tickets"}).status_code == 400
    assert saved(centre_a) == {}

    data = {"expenses": "Tickets", "csrf_token": csrf_token_from(page)}
    assert client.post("/centre/facts", data=data).status_code == 302
    assert saved(centre_a) == {"expenses": "Tickets"}


def test_deleting_a_centre_deletes_its_facts(centre_a):
    centre_facts.save_facts(centre_a, {"expenses": "Tickets"})
    db.session.commit()

    db.session.delete(centre_a)
    db.session.commit()

    from academy.modules.centres.models import CentreFact

    assert db.session.query(CentreFact).count() == 0
