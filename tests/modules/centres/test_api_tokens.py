"""API tokens: shown once, stored as a hash, revoked, touched at most once a minute."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import text
from werkzeug.exceptions import NotFound

from academy.core import clock
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.modules.centres import api_tokens
from tests.modules.centres.helpers import coordinator_of, make_centre


def test_a_token_is_shown_once_and_stored_only_as_its_hash(centre):
    token, plain = api_tokens.create_token(centre, "Rota system", coordinator_of(centre))
    db.session.commit()
    assert plain.startswith("pa_") and len(plain) > 40
    assert token.prefix == plain[:10]
    assert token.token_hash == hashlib.sha256(plain.encode()).hexdigest()
    stored = db.session.execute(text("SELECT * FROM centre_api_tokens")).one()
    assert plain not in [str(value) for value in stored]
    assert api_tokens.authenticate_token(plain) == token


def test_tokens_need_a_name(centre):
    with pytest.raises(UserError, match="name") as caught:
        api_tokens.create_token(centre, "   ", coordinator_of(centre))
    assert caught.value.field == "name"


def test_unknown_malformed_and_revoked_tokens_do_not_authenticate(centre):
    token, plain = api_tokens.create_token(centre, "Rota", coordinator_of(centre))
    db.session.commit()
    assert api_tokens.authenticate_token(plain + "x") is None
    assert api_tokens.authenticate_token(plain[3:]) is None
    assert api_tokens.authenticate_token("") is None
    api_tokens.revoke_token(centre, token.id)
    db.session.commit()
    assert api_tokens.authenticate_token(plain) is None


def test_a_centre_cannot_revoke_another_centres_token(centre, make_user):
    other = make_centre(make_user, "Centre B")
    token, plain = api_tokens.create_token(other, "Theirs", coordinator_of(other))
    db.session.commit()
    with pytest.raises(NotFound):
        api_tokens.revoke_token(centre, token.id)
    assert api_tokens.authenticate_token(plain) == token
    assert api_tokens.tokens_of(centre) == []


def test_last_use_is_written_at_most_once_a_minute(centre):
    token, plain = api_tokens.create_token(centre, "Rota", coordinator_of(centre))
    db.session.commit()
    api_tokens.authenticate_token(plain)
    first = token.last_used_at
    assert first is not None
    db.session.commit()
    clock.travel(timedelta(seconds=30))
    api_tokens.authenticate_token(plain)
    assert token not in db.session.dirty
    clock.travel(timedelta(seconds=31))
    api_tokens.authenticate_token(plain)
    assert token.last_used_at > first
