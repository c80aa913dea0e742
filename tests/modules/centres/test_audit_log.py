"""The verification audit log: who checked which code, for which centre; never an address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from academy.core import clock
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.centres import audit_log
from academy.modules.centres.models import VerificationLogEntry
from academy.modules.certificates import services as certificates
from tests.modules.centres.helpers import certify, coordinator_of


def _code(make_user) -> str:
    holder = make_user(Role.TRAINEE, "holder", "Holder")
    return certify(holder, "module", "basics").code


def test_a_coordinators_check_is_logged_for_their_centre(centre, make_user):
    code = _code(make_user)
    certificates.verify_code(code, via="page", user_id=coordinator_of(centre).id)
    db.session.commit()
    entry = db.session.scalar(select(VerificationLogEntry))
    assert (entry.code, entry.result, entry.via) == (code, "valid", "page")
    assert entry.centre_id == centre.id
    assert entry.user_id == coordinator_of(centre).id
    page = audit_log.verification_log(centre)
    assert [(e.result, e.via, e.checked_by) for e in page.entries] == [
        ("valid", "page", coordinator_of(centre).display_name)
    ]


def test_anonymous_and_trainee_checks_belong_to_no_centre(centre, make_user, peer):
    code = _code(make_user)
    certificates.verify_code(code)
    certificates.verify_code("0000-0000-0000-0000-0000", user_id=peer.id)
    db.session.commit()
    entries = db.session.scalars(select(VerificationLogEntry)).all()
    assert [(e.result, e.centre_id) for e in entries] == [("valid", None), ("unknown", None)]
    assert audit_log.verification_log(centre).entries == []


def test_the_log_keeps_no_addresses_or_browsers(app):
    columns = set(VerificationLogEntry.__table__.columns.keys())
    assert columns == {"id", "checked_at", "code", "result", "via", "user_id", "centre_id"}


def test_on_postgresql_only_the_checks_transaction_skips_waiting_for_the_disk(make_user):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("synchronous_commit is a PostgreSQL setting")
    code = _code(make_user)
    db.session.commit()
    certificates.verify_code(code)
    assert db.session.scalar(text("SHOW synchronous_commit")) == "off"
    db.session.commit()
    assert db.session.scalar(text("SHOW synchronous_commit")) == "on"
    assert db.session.scalar(select(VerificationLogEntry.result)) == "valid"


def test_a_token_check_is_logged_for_the_tokens_centre_and_pages_newest_first(centre, make_user):
    code = _code(make_user)
    for _ in range(3):
        certificates.verify_code(code, via="api", centre_id=centre.id)
        clock.travel(timedelta(minutes=1))
    certificates.verify_code("0000-0000-0000-0000-0000", via="api", centre_id=centre.id)
    db.session.commit()
    first = audit_log.verification_log(centre, page=1, per_page=2)
    assert [e.result for e in first.entries] == ["unknown", "valid"]
    assert first.has_next and first.entries[0].checked_by is None
    last = audit_log.verification_log(centre, page=2, per_page=2)
    assert [e.result for e in last.entries] == ["valid", "valid"] and not last.has_next
    assert audit_log.verification_log(centre, page=-5, per_page=2).page == 1
