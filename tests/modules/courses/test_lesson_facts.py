"""A lesson that names centre facts shows the reader's centre's values: escaped, of their
own centres only, each centre named when there are several, and a fallback that says what
to ask (and 112) without a centre or a value. A lesson without facts costs no query."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from academy.core import centre_facts
from academy.core.catalogue import current_catalogue
from academy.core.content.facts import FACTS_BY_NAME
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.centres import centre_facts as facts_service
from academy.modules.centres import coordinators, membership
from tests.conftest import FIXTURE_CONTENT, AuthActions, build_config
from tests.modules.centres.helpers import counted_queries

LESSON = "/modules/basics/lessons/at-your-centre"
PLAIN_LESSON = "/modules/basics/lessons/first-steps"
EMERGENCY = FACTS_BY_NAME["emergency-number"]
EXPENSES = FACTS_BY_NAME["expenses"]


@pytest.fixture
def app_config(tmp_path) -> dict:
    content = Path(shutil.copytree(FIXTURE_CONTENT, tmp_path / "content"))
    (content / "basics" / "03-at-your-centre.md").write_text(
        "# At your centre\n\nIn danger, call 112.\n\n"
        "- Emergency number: [[centre:emergency-number]]\n"
        "- Expenses: [[centre:expenses]]\n",
        encoding="utf-8",
    )
    return build_config(tmp_path, ACADEMY_CONTENT_DIR=str(content))


@pytest.fixture
def make_centre(make_user):
    def make(name: str, values: dict[str, str], *peers):
        centre = coordinators.create_centre(name, make_user(Role.CENTRE))
        db.session.flush()
        facts_service.save_facts(centre, values)
        for peer in peers:
            membership.join_centre(peer, centre.invite_code, consent=True)
        db.session.commit()
        return centre

    return make


@pytest.fixture
def reader(app, trainee):
    client = app.test_client()
    AuthActions(client).sign_in(trainee)
    return client


def lesson_items(client) -> list[str]:
    page = client.get(LESSON).text
    start = page.index('<article class="prose" lang="en" dir="ltr">')
    article = page[start : page.index("</article>", start)]
    return [item.split("</li>")[0] for item in article.split("<li>")[1:]]


def test_a_trainee_sees_their_centres_values(reader, trainee, make_centre):
    make_centre(
        "Harbour Centre",
        {"emergency-number": "030 123 456 00, day and night", "expenses": "Tickets, monthly"},
        trainee,
    )

    assert lesson_items(reader) == [
        'Emergency number: <span class="centre-fact">030 123 456 00, day and night</span>',
        'Expenses: <span class="centre-fact">Tickets, monthly</span>',
    ]


def test_without_a_centre_the_trainee_sees_what_to_ask_and_112(reader):
    items = lesson_items(reader)

    assert items == [
        f'Emergency number: <span class="centre-fact missing">{EMERGENCY.fallback}</span>',
        f'Expenses: <span class="centre-fact missing">{EXPENSES.fallback}</span>',
    ]
    assert "112" in items[0] and "Ask your coordinator" in items[0]


def test_an_empty_value_shows_the_fallback(reader, trainee, make_centre):
    make_centre("Harbour Centre", {"expenses": "Tickets, monthly"}, trainee)

    items = lesson_items(reader)

    assert str(EMERGENCY.fallback) in items[0] and 'class="centre-fact missing"' in items[0]
    assert items[1] == 'Expenses: <span class="centre-fact">Tickets, monthly</span>'


def test_a_value_is_shown_as_text_never_as_markup(reader, trainee, make_centre):
    value = "<script>alert(1)</script> **112**"
    make_centre("Harbour Centre", {"emergency-number": value}, trainee)

    page = reader.get(LESSON).text

    assert "&lt;script&gt;alert(1)&lt;/script&gt; **112**" in page
    assert "<script>alert(1)" not in page


def test_a_trainee_of_another_centre_never_sees_the_values(
    app, reader, trainee, make_user, make_centre
):
    other = make_user(Role.TRAINEE, "other-peer", "Other")
    make_centre("Harbour Centre", {"emergency-number": "030 HARBOUR"}, other)
    make_centre("River Centre", {"emergency-number": "040 RIVER"}, trainee)
    client = app.test_client()
    AuthActions(client).sign_in(other)

    assert "040 RIVER" in lesson_items(reader)[0] and "030 HARBOUR" not in reader.get(LESSON).text
    assert "030 HARBOUR" in lesson_items(client)[0] and "040 RIVER" not in client.get(LESSON).text


def test_a_trainee_of_several_centres_sees_each_by_name(reader, trainee, make_centre):
    make_centre("River Centre", {"emergency-number": "040 RIVER"}, trainee)
    make_centre("Harbour Centre", {}, trainee)

    assert lesson_items(reader)[0] == (
        "Emergency number: "
        '<span class="centre-fact missing"><strong>Harbour Centre</strong>: '
        f"{EMERGENCY.fallback}</span>; "
        '<span class="centre-fact"><strong>River Centre</strong>: 040 RIVER</span>'
    )


def test_after_stopping_sharing_the_fallback_comes_back(reader, trainee, make_centre):
    centre = make_centre("Harbour Centre", {"emergency-number": "030 HARBOUR"}, trainee)
    membership.withdraw_consent(trainee, centre.id)
    db.session.commit()

    assert "030 HARBOUR" not in reader.get(LESSON).text
    assert str(EMERGENCY.fallback) in lesson_items(reader)[0]


def test_a_lesson_without_facts_costs_nothing_and_one_with_facts_no_extra_statement(
    reader, trainee, make_centre
):
    """The facts are read with the support contacts, in the one statement that a lesson
    page runs for them anyway; a lesson without facts is served as it was rendered."""
    make_centre("Harbour Centre", {"emergency-number": "030 HARBOUR"}, trainee)
    # Opening a lesson again writes nothing: the place to resume is already there.
    reader.get(PLAIN_LESSON)
    with counted_queries() as plain:
        reader.get(PLAIN_LESSON)
    reader.get(LESSON)
    with counted_queries() as named:
        reader.get(LESSON)

    assert not any("centre_facts" in statement for statement in plain)
    assert sum("centre_facts" in statement for statement in named) == 1
    assert len(named) == len(plain)
    lesson = current_catalogue().modules["basics"].lessons[0]
    assert centre_facts.lesson_html(lesson, trainee.id) is lesson.html


def test_a_lesson_with_facts_still_shows_the_support_contacts(reader, trainee, make_centre):
    centre = make_centre("Harbour Centre", {"emergency-number": "030 HARBOUR"}, trainee)
    centre.support_contact = "Call Sam, weekdays"
    make_centre("Quiet Centre", {}, trainee)  # no contact: left out
    db.session.commit()

    page = reader.get(LESSON).text
    support = page[page.index('<aside class="support"') :]

    assert '<strong>Harbour Centre</strong>: <span class="support-contact">Call Sam' in support
    assert "Quiet Centre" not in support
