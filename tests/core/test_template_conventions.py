"""One way of doing each thing in templates: the CSRF token through ``csrf_field()``,
roles through named helpers, dates through the ``date`` filter."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from wtforms import Form, StringField

from academy.core.dates import format_date
from academy.modules.accounts.models import Role, User

TEMPLATES = Path(__file__).parents[2] / "templates"
PAGES = sorted(p for p in TEMPLATES.rglob("*.html") if p.name != "_forms.html")
POST_FORM = re.compile(r"<form[^>]*method=\"post\".*?</form>", re.DOTALL | re.IGNORECASE)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_a_template_keeps_the_conventions(page):
    text = page.read_text()
    for form in POST_FORM.findall(text):
        assert "{{ csrf_field() }}" in form, form[:120]
    assert not re.search(r"hidden_tag\(|csrf_token", text), "put the token with csrf_field()"
    assert not re.search(r"\.role\s*(==|!=|in\b)", text), "check roles with current_user.is_…"
    assert not re.search(r"strftime|isoformat|\.date\(\)", text), "format dates with |date"


def test_the_date_filter_shows_days_and_optionally_minutes():
    moment = datetime(2026, 3, 1, 14, 5, 59)

    assert format_date(moment) == "2026-03-01"
    assert format_date(moment, with_time=True) == "2026-03-01 14:05"
    assert format_date(date(2026, 3, 1)) == "2026-03-01"
    assert format_date(date(2026, 3, 1), with_time=True) == "2026-03-01"


def test_templates_render_dates_through_the_filter(app):
    template = app.jinja_env.from_string("{{ d|date }} {{ d|date(with_time=True) }}")

    assert template.render(d=datetime(2026, 3, 1, 9, 7)) == "2026-03-01 2026-03-01 09:07"


def test_a_field_has_an_autocomplete_value_or_none_at_all(app):
    """The field macro writes the autocomplete it is given, and no attribute without one:
    WTForms would write a missing value as autocomplete="None" (the browser walk,
    tests/browser/test_every_page.py, looks for it on every page)."""

    class NameForm(Form):
        name = StringField("Name")

    template = app.jinja_env.from_string(
        '{% from "_forms.html" import field %}'
        '{{ field(form.name) }}|{{ field(form.name, autocomplete="nickname") }}'
    )
    with app.test_request_context():
        without, given = template.render(form=NameForm()).split("|")

    assert "autocomplete" not in without
    assert '<label for="name">Name</label>' in without
    assert 'autocomplete="nickname"' in given


@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_one_named_check(role):
    user = User(role=role.value)
    checks = {
        Role.TRAINEE: user.is_trainee,
        Role.TRAINER: user.is_trainer,
        Role.CENTRE: user.is_centre_coordinator,
        Role.ADMIN: user.is_admin,
    }

    assert [checked for checked, on in checks.items() if on] == [role]
