"""Certificates for completed modules and paths; codes; verification."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from academy.core import clock
from academy.core.catalogue import current_catalogue
from academy.core.extensions import db
from academy.core.signals import module_completed
from academy.modules.certificates import services
from academy.modules.certificates.codes import (
    ALPHABET,
    CODE_LENGTH,
    format_code,
    new_code,
    normalise_code,
)
from academy.modules.certificates.models import Certificate
from academy.modules.progress import services as progress
from tests import (
    complete_module,
    pass_quiz,
    study_all_lessons,
)

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPED = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$")


def certificates_of(user_id: int) -> list[Certificate]:
    return list(
        db.session.scalars(select(Certificate).filter_by(user_id=user_id).order_by(Certificate.id))
    )


def subjects(user_id: int) -> list[tuple[str, str]]:
    return sorted((c.kind, c.subject_slug) for c in certificates_of(user_id))


def test_completing_a_module_issues_one_certificate_with_its_details(trainee):
    complete_module(trainee.id, "basics")

    (certificate,) = certificates_of(trainee.id)
    assert certificate.kind == "module"
    assert certificate.subject_slug == "basics"
    assert certificate.subject_title == "Basics"
    assert certificate.subject_version == "1.0"
    assert certificate.holder_name == "Ayo"
    assert certificate.revoked_at is None
    # basics is valid for 12 months
    assert (certificate.expires_at - certificate.issued_at).days == 365
    assert services.certificate_status(certificate) == "valid"


def test_no_certificate_before_the_module_is_complete(trainee):
    study_all_lessons(trainee.id, "basics")

    assert certificates_of(trainee.id) == []


def test_running_the_completion_logic_again_issues_no_second_certificate(trainee):
    complete_module(trainee.id, "basics")
    (first,) = certificates_of(trainee.id)

    module = current_catalogue().modules["basics"]
    progress.complete_module_if_done(trainee.id, module)
    study_all_lessons(trainee.id, "basics")
    for _ in range(2):  # as if the completion were announced twice
        module_completed.send(trainee.id, module_slug="basics", module_version="1.0")
    db.session.commit()

    assert [c.id for c in certificates_of(trainee.id)] == [first.id]
    assert certificates_of(trainee.id)[0].code == first.code


def test_passing_the_quiz_again_issues_no_second_certificate(trainee):
    complete_module(trainee.id, "basics")

    pass_quiz(trainee.id, "basics")

    assert subjects(trainee.id) == [("module", "basics")]


def test_completing_every_module_of_a_path_also_issues_the_path_certificate(trainee):
    complete_module(trainee.id, "basics")
    assert subjects(trainee.id) == [("module", "basics")]

    complete_module(trainee.id, "advanced")

    assert subjects(trainee.id) == [
        ("module", "advanced"),
        ("module", "basics"),
        ("path", "fixture-path"),
    ]
    path = next(c for c in certificates_of(trainee.id) if c.kind == "path")
    assert path.subject_title == "Fixture path — both modules"
    assert path.subject_version == "1.0+2.1"
    assert path.holder_name == "Ayo"


def test_the_path_certificate_is_issued_once(trainee):
    complete_module(trainee.id, "basics")
    complete_module(trainee.id, "advanced")

    module_completed.send(trainee.id, module_slug="advanced", module_version="2.1")
    module_completed.send(trainee.id, module_slug="basics", module_version="1.0")
    db.session.commit()

    assert [kind for kind, _ in subjects(trainee.id)].count("path") == 1


def test_certificates_belong_to_their_holder(make_user, trainee):
    other = make_user(display_name="Bea")
    complete_module(trainee.id, "basics")

    assert services.certificates_for(other.id) == []
    assert [c.holder_name for c in services.certificates_for(trainee.id)] == ["Ayo"]


def test_the_alphabet_is_crockford_base32_and_a_code_carries_at_least_80_bits():
    assert ALPHABET == CROCKFORD
    assert CODE_LENGTH == 20
    assert CODE_LENGTH * 5 >= 80


def test_new_codes_are_20_crockford_characters_and_differ():
    codes = {new_code() for _ in range(200)}

    assert len(codes) == 200
    for code in codes:
        assert len(code) == 20
        assert set(code) <= set(CROCKFORD)
    # every character of the alphabet turns up, none other
    assert set("".join(codes)) == set(CROCKFORD)


def test_an_issued_code_is_shown_in_groups_of_four(trainee):
    complete_module(trainee.id, "basics")
    (certificate,) = certificates_of(trainee.id)

    formatted = format_code(certificate.code)

    assert GROUPED.match(formatted)
    assert formatted.replace("-", "") == certificate.code


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("ABCD-EFGH-JKMN-PQRS-TVWX", "ABCDEFGHJKMNPQRSTVWX"),
        ("abcd-efgh-jkmn-pqrs-tvwx", "ABCDEFGHJKMNPQRSTVWX"),
        ("abcd efgh jkmn pqrs tvwx", "ABCDEFGHJKMNPQRSTVWX"),
        ("  ABCDEFGHJKMNPQRSTVWX  ", "ABCDEFGHJKMNPQRSTVWX"),
        ("ABCD--EFGH\tJKMN PQRS-TVWX", "ABCDEFGHJKMNPQRSTVWX"),
        ("OOOO-oooo-IIII-iiii-LlLl", "00000000111111111111"),
        ("0O1I-L0o1-iL23-4567-89YZ", "001110011123456789YZ"),
    ],
)
def test_typed_codes_are_normalised(typed, normalised):
    assert normalise_code(typed) == normalised


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ABCD-EFGH-JKMN-PQRS-TVW",
        "ABCD-EFGH-JKMN-PQRS-TVWXY",
        "ABCD-EFGH-JKMN-PQRS-TVWU",
        "ABCD-EFGH-JKMN-PQRS-TVW*",
        "ABCD-EFGH-JKMN-PQRS-TVWÄ",
        "ABCD.EFGH.JKMN.PQRS.TVWX",
        "ABCD_EFGH_JKMN_PQRS_TVWX",
        "A" * 200,
    ],
)
def test_text_that_cannot_be_a_code_is_rejected(typed):
    assert normalise_code(typed) is None


def test_verifying_a_valid_code(trainee):
    complete_module(trainee.id, "basics")
    (certificate,) = certificates_of(trainee.id)

    result = services.verify_code(format_code(certificate.code).lower())

    assert result.status == "valid"
    assert result.code == certificate.code
    assert result.holder_name == "Ayo"
    assert result.title == "Basics"
    assert result.issued_on == certificate.issued_at.date().isoformat()
    assert result.expires_on == certificate.expires_at.date().isoformat()


def test_verifying_an_unknown_code_says_only_that(trainee):
    result = services.verify_code("ABCD-EFGH-JKMN-PQRS-TVWX")

    assert result.status == "unknown"
    assert result.as_dict() == {"code": "ABCD-EFGH-JKMN-PQRS-TVWX", "status": "unknown"}


@pytest.mark.parametrize("typed", ["", "not a code", "ABCD-EFGH", "ABCD-EFGH-JKMN-PQRS-TVWU"])
def test_verifying_text_that_is_no_code_returns_none(typed):
    assert services.verify_code(typed) is None


def test_a_certificate_expires_after_its_validity(trainee):
    complete_module(trainee.id, "basics")
    (certificate,) = certificates_of(trainee.id)
    code = certificate.code

    clock.travel(timedelta(days=364))
    assert services.verify_code(code).status == "valid"

    clock.travel(timedelta(days=2))
    result = services.verify_code(code)
    assert result.status == "expired"
    assert result.holder_name == "Ayo"
    assert result.expires_on == certificate.expires_at.date().isoformat()
