"""Certificate lifecycle: renewal, new versions, revocation and pauses (paths with observed
practice: test_path_practice.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from academy.core import clock
from academy.core.catalogue import current_catalogue
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.certificates import services
from academy.modules.certificates.models import Certificate
from academy.modules.progress import services as progress


def complete(user, slug: str) -> None:
    module = current_catalogue().modules[slug]
    for lesson in module.lessons:
        progress.mark_lesson_studied(user.id, module, lesson)
    progress.record_quiz_passed(user.id, module)
    db.session.commit()


def certificate(user, slug: str, kind: str = "module") -> Certificate:
    return db.session.scalar(
        select(Certificate).filter_by(user_id=user.id, subject_slug=slug, kind=kind)
    )


def test_completing_a_module_issues_a_certificate_valid_for_the_modules_months(trainee):
    complete(trainee, "basics")
    issued = certificate(trainee, "basics")
    assert issued.subject_title == "Basics"
    assert (issued.expires_at - issued.issued_at).days == round(12 * services.DAYS_PER_MONTH)
    assert services.certificate_status(issued) == "valid"


def test_a_certificate_expires_after_its_validity(trainee):
    complete(trainee, "basics")
    clock.travel(timedelta(days=400))
    assert services.certificate_status(certificate(trainee, "basics")) == "expired"
    assert services.verify_code(certificate(trainee, "basics").code).status == "expired"


def test_a_refresher_renews_the_same_certificate_from_today(trainee):
    complete(trainee, "basics")
    first = certificate(trainee, "basics")
    code, old_expiry = first.code, first.expires_at
    clock.travel(timedelta(days=300))
    progress.record_quiz_passed(trainee.id, current_catalogue().modules["basics"])
    db.session.commit()
    renewed = certificate(trainee, "basics")
    assert renewed.code == code
    assert renewed.renewed_at is not None
    assert renewed.expires_at > old_expiry + timedelta(days=290)
    assert db.session.query(Certificate).filter_by(user_id=trainee.id, kind="module").count() == 1


def test_a_refresher_after_expiry_makes_the_certificate_valid_again(trainee):
    complete(trainee, "basics")
    clock.travel(timedelta(days=400))
    progress.record_quiz_passed(trainee.id, current_catalogue().modules["basics"])
    db.session.commit()
    assert services.certificate_status(certificate(trainee, "basics")) == "valid"


def test_a_new_content_version_issues_a_new_certificate_after_the_quiz_is_passed_again(
    app, trainee
):
    complete(trainee, "basics")
    catalogue = current_catalogue()
    catalogue.modules["basics"] = replace(catalogue.modules["basics"], version="2.0")
    module = catalogue.modules["basics"]
    status = progress.module_status(trainee.id, module)
    assert status.completed and not status.current and not status.quiz_passed
    progress.record_quiz_passed(trainee.id, module)
    db.session.commit()
    versions = sorted(
        db.session.scalars(
            select(Certificate.subject_version).filter_by(user_id=trainee.id, kind="module")
        )
    )
    assert versions == ["1.0", "2.0"]


def test_revocation_needs_a_reason_and_verification_never_shows_it(trainee, make_user):
    trainer = make_user(Role.TRAINER)
    complete(trainee, "basics")
    issued = certificate(trainee, "basics")
    with pytest.raises(UserError, match="give a reason"):
        services.revoke_certificate(issued, "   ", by=trainer)
    services.revoke_certificate(issued, "shared client details in a group chat", by=trainer)
    db.session.commit()
    result = services.verify_code(issued.code)
    assert result.status == "revoked"
    assert result.revoked_on == issued.revoked_at.date().isoformat()
    assert "chat" not in str(result.as_dict())


def test_a_revoked_certificate_is_not_renewed_by_a_refresher(trainee, make_user):
    complete(trainee, "basics")
    services.revoke_certificate(certificate(trainee, "basics"), "reason", by=make_user(Role.ADMIN))
    progress.record_quiz_passed(trainee.id, current_catalogue().modules["basics"])
    db.session.commit()
    assert services.certificate_status(certificate(trainee, "basics")) == "revoked"


def test_a_peer_pause_shows_as_paused_and_ending_it_restores_everything(trainee):
    complete(trainee, "basics")
    code = certificate(trainee, "basics").code
    services.pause_self(trainee)
    db.session.commit()
    assert services.verify_code(code).status == "paused"
    services.resume_self(trainee)
    db.session.commit()
    assert services.verify_code(code).status == "valid"


def test_a_peer_cannot_end_a_trainer_suspension(trainee, make_user):
    trainer = make_user(Role.TRAINER)
    services.suspend(trainee, "talk first", by=trainer)
    services.pause_self(trainee)
    services.resume_self(trainee)
    db.session.commit()
    assert services.is_paused(trainee.id)
    services.lift_suspension(trainee)
    db.session.commit()
    assert not services.is_paused(trainee.id)


def test_status_list_positions_are_distinct(make_user):
    users = [make_user() for _ in range(20)]
    for user in users:
        services.issue_or_renew(user, "module", "basics", "Basics", "1.0", 12)
    db.session.commit()
    positions = list(db.session.scalars(select(Certificate.status_index)))
    assert len(set(positions)) == 20
    assert all(0 <= p < services.STATUS_LIST_LENGTH for p in positions)


def test_a_version_that_requires_recertification_expires_older_certificates_after_grace(
    app, trainee
):
    complete(trainee, "basics")
    old = certificate(trainee, "basics")
    services.record_module_versions()  # `academy init` with the first versions
    catalogue = current_catalogue()
    catalogue.modules["basics"] = replace(catalogue.modules["basics"], version="2.0")
    assert services.record_module_versions() == 1
    assert services.certificate_standing(old).state == "valid"  # a plain new version does not
    catalogue.modules["basics"] = replace(catalogue.modules["basics"], recertify=True)
    standing = services.certificate_standing(old)
    grace = timedelta(days=app.config["ACADEMY_RENEWAL_DAYS"])
    assert standing.state == "refresher" and standing.counts
    assert standing.renew_by == standing.ends_at < old.expires_at
    assert abs(standing.renew_by - (clock.utcnow() + grace)) < timedelta(minutes=1)
    assert services.verify_code(old.code).status == "valid"
    clock.travel(grace + timedelta(days=1))
    assert services.certificate_status(old) == "expired"
    result = services.verify_code(old.code)
    assert result.status == "expired" and result.expires_on < clock.utcnow().date().isoformat()
