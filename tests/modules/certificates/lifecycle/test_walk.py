"""One module certificate and the path certificate built on it, walked through their
whole life: issue, the renewal window and a refresher, a content version that asks to
recertify, the refresher for it, revocation, re-earning, a trainer's pause and its lift.
At every step each surface says the same true thing (docs/certificates.md, "Lifecycle"):
the trainee's card, the module page and catalogue, /verify, the API, the PDF, the
credential's status list entry and the centre's matrix."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from academy.core import clock
from academy.core.catalogue import current_catalogue
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.certificates import services
from academy.modules.certificates.models import Certificate
from tests import right_answers, study_all_lessons
from tests.conftest import PASSWORD
from tests.modules.centres.helpers import add_task, join, make_centre
from tests.modules.certificates.lifecycle.surfaces import (
    matrix_words,
    module_page,
    read,
    text_of,
)
from tests.modules.credentials.conftest import signing_config
from tests.modules.practice.helpers import complete_practice

START = datetime(2026, 2, 2, 9, 0)
GRACE_DAYS = 60  # ACADEMY_RENEWAL_DAYS in this test
PATH_TITLE = "Fixture practice — basics and observed practice"


@pytest.fixture
def app_config(tmp_path) -> dict:
    return signing_config(tmp_path) | {
        "ACADEMY_RENEWAL_DAYS": GRACE_DAYS,
        "ACADEMY_RENEWAL_NOTICE_DAYS": 60,
        "RATELIMIT_ENABLED": False,
    }


def day(moment: datetime) -> str:
    return moment.date().isoformat()


def held(trainee, kind: str) -> list[Certificate]:
    """The trainee's certificates of this kind, oldest first, as stored now."""
    db.session.expire_all()
    query = select(Certificate).filter_by(user_id=trainee.id, kind=kind).order_by(Certificate.id)
    return list(db.session.scalars(query))


def pass_quiz(client, trainee, slug: str = "basics") -> str:
    """Take and pass the module's quiz on its pages; the result page's text."""
    client.post("/sign-in", data={"username": trainee.username, "password": PASSWORD})
    sheet = client.get(f"/modules/{slug}/quiz").text
    attempt_id = re.search(r'action="/quiz/attempts/(\d+)"', sheet).group(1)
    shown = list(dict.fromkeys(re.findall(r'name="answer-([^"]+)"', sheet)))
    form = {f"answer-{qid}": ids for qid, ids in right_answers(slug, shown).items()}
    result = client.post(f"/quiz/attempts/{attempt_id}", data=form, follow_redirects=True)
    client.post("/sign-out")
    return text_of(result.text)


def counts_everywhere(surfaces, state: str, until: datetime) -> None:
    """A certificate that counts: valid on every surface, with the day it counts until."""
    assert f"Valid until {day(until)}" in surfaces.card
    assert "Valid certificate" in surfaces.verify and f"Valid until {day(until)}" in surfaces.verify
    assert surfaces.api["status"] == "valid" and surfaces.api["state"] == state
    assert surfaces.api["expires_on"] == day(until)
    assert f"valid until {day(until)}" in surfaces.pdf.lower()
    assert surfaces.status == "valid"
    for word in ("Expired", "EXPIRED", "Revoked", "REVOKED", "Replaced", "Paused"):
        assert word not in surfaces.card + surfaces.verify + surfaces.pdf


def test_a_module_and_a_path_certificate_read_true_on_every_surface_through_their_life(
    app, client, make_user
):
    clock.freeze(START)
    services.record_module_versions()  # `academy init`
    db.session.commit()
    trainee = make_user(Role.TRAINEE, "trainee-walk", "Ayo")
    trainer = make_user(Role.TRAINER, "trainer-walk", "Kim")
    centre = make_centre(make_user)
    join(trainee, centre)
    module_task = add_task(centre, "Support public relations", "module:basics")
    path_task = add_task(centre, "Accompany a client", "path:fixture-practice")

    # --- issue ------------------------------------------------------------------------
    complete_practice(trainee, trainer)
    study_all_lessons(trainee.id, "basics")
    result = pass_quiz(client, trainee)
    assert "You have completed this module and earned its certificate." in result
    (m1,), (p1,) = held(trainee, "module"), held(trainee, "path")
    m1_end, p1_end = START + timedelta(days=365), START + timedelta(days=183)
    assert (m1.expires_at, p1.expires_at) == (m1_end, p1_end)
    counts_everywhere(read(client, trainee, m1), "valid", m1_end)
    counts_everywhere(read(client, trainee, p1), "valid", p1_end)
    notice, card = module_page(client, trainee, "basics")
    assert "You have completed this module." in notice and "Completed" in card
    assert matrix_words(centre, module_task, path_task) == [
        f"Cleared: valid until {day(m1_end)}",
        f"Cleared: valid until {day(p1_end)}",
    ]

    # --- the renewal window, and a refresher in it -----------------------------------
    clock.travel(timedelta(days=170))  # the path ends in 13 days, the module in 195
    app.config["ACADEMY_RENEWAL_NOTICE_DAYS"] = 200  # told early enough for both
    path = read(client, trainee, p1)
    counts_everywhere(path, "expiring", p1_end)
    assert f"Renew by {day(p1_end)}" in path.card and "What to do" in path.card
    assert path.api["renew_by"] == day(p1_end)
    notice, card = module_page(client, trainee, "basics")
    assert f"Renew by {day(m1_end)}." in notice and "pass the quiz again" in notice
    assert "completed" not in notice and f"Renew by {day(m1_end)}" in card
    assert matrix_words(centre, module_task, path_task) == [
        f"Cleared: valid until {day(m1_end)}",
        f"Expires soon: valid until {day(p1_end)}",  # cleared today, not in 30 days
    ]
    result = pass_quiz(client, trainee)
    now = clock.utcnow()
    m1_end, p1_end = now + timedelta(days=365), now + timedelta(days=183)
    assert f"Your certificate for this module is renewed: it is now valid until {day(m1_end)}" in (
        result
    )
    assert [c.code for c in held(trainee, "module")] == [m1.code]  # the same code, renewed
    assert [c.code for c in held(trainee, "path")] == [p1.code]
    app.config["ACADEMY_RENEWAL_NOTICE_DAYS"] = 60
    counts_everywhere(read(client, trainee, m1), "valid", m1_end)
    counts_everywhere(read(client, trainee, p1), "valid", p1_end)

    # --- a content version that asks to recertify ------------------------------------
    catalogue = current_catalogue()
    catalogue.modules["basics"] = replace(
        catalogue.modules["basics"], version="2.0", recertify=True
    )
    services.record_module_versions()  # `academy init` after the content changed
    db.session.commit()
    renew_by = clock.utcnow() + timedelta(days=GRACE_DAYS)
    for certificate in (m1, p1):
        surfaces = read(client, trainee, certificate)
        counts_everywhere(surfaces, "refresher", renew_by)  # never "Expired on" a future day
        assert f"Renew by {day(renew_by)}" in surfaces.card and "refresher" in surfaces.card
        assert f"counts until {day(renew_by)}" in surfaces.verify
        assert surfaces.api["renew_by"] == day(renew_by)
    notice, card = module_page(client, trainee, "basics")
    assert f"Renew by {day(renew_by)}." in notice and "Version 2.0 of this module" in notice
    assert "completed" not in notice and f"Renew by {day(renew_by)}" in card
    assert (
        matrix_words(centre, module_task, path_task)
        == [f"Cleared: valid until {day(renew_by)}"] * 2
    )
    clock.travel(timedelta(days=GRACE_DAYS - 20))
    assert (
        matrix_words(centre, module_task, path_task)
        == [f"Expires soon: valid until {day(renew_by)}"] * 2
    )

    # the grace period ends without the refresher: expired, on a day in the past
    clock.travel(timedelta(days=21))
    for certificate in (m1, p1):
        surfaces = read(client, trainee, certificate)
        assert "Expired" in surfaces.card and f"Expired on {day(renew_by)}" in surfaces.card
        assert "Valid until" not in surfaces.card
        assert "Expired certificate" in surfaces.verify
        assert f"Expired on {day(renew_by)}" in surfaces.verify
        assert "Valid until" not in surfaces.verify
        assert surfaces.api["status"] == "expired" and surfaces.api["expires_on"] == day(renew_by)
        assert f"EXPIRED on {day(renew_by)}" in surfaces.pdf
        assert surfaces.status == "superseded"
    notice, card = module_page(client, trainee, "basics")
    assert f"expired on {day(renew_by)}" in notice and "lessons of version 2.0" in notice
    assert "Certificate expired" in card
    assert matrix_words(centre, module_task, path_task) == [
        "Expired: Basics",
        f"Expired: {PATH_TITLE} (modules and observed practice)",
    ]

    # --- the refresher: new certificates, the old ones replaced ------------------------
    result = pass_quiz(client, trainee)
    assert "You have a new certificate for version 2.0 of this module, with a new code." in result
    (_, m2), (_, p2) = held(trainee, "module"), held(trainee, "path")
    assert (m2.subject_version, p2.subject_version) == ("2.0", "2.0")
    replaced_on = day(clock.utcnow())
    for old in (m1, p1):
        surfaces = read(client, trainee, old)
        assert "Replaced" in surfaces.card and f"Replaced on {replaced_on}" in surfaces.card
        assert "Replaced certificate" in surfaces.verify and "took this one's place" in (
            surfaces.verify
        )
        assert surfaces.api["status"] == "replaced" and surfaces.api["replaced_on"] == replaced_on
        assert f"REPLACED on {replaced_on}" in surfaces.pdf
        assert surfaces.status == "superseded"
    m2_end, p2_end = clock.utcnow() + timedelta(days=365), clock.utcnow() + timedelta(days=183)
    counts_everywhere(read(client, trainee, m2), "valid", m2_end)
    counts_everywhere(read(client, trainee, p2), "valid", p2_end)  # only the new path counts
    notice, _ = module_page(client, trainee, "basics")
    assert "You have completed this module." in notice
    assert matrix_words(centre, module_task, path_task) == [
        f"Cleared: valid until {day(m2_end)}",
        f"Cleared: valid until {day(p2_end)}",
    ]

    # --- revocation: the path built on the module goes with it -------------------------
    services.revoke_certificate(m2, "Shared a client's details in a group chat.", trainer)
    db.session.commit()
    revoked_on = day(clock.utcnow())
    for certificate in (m2, p2):
        surfaces = read(client, trainee, certificate)
        assert "Revoked" in surfaces.card and f"Revoked on {revoked_on}" in surfaces.card
        assert "Revoked certificate" in surfaces.verify and f"revoked on {revoked_on}" in (
            surfaces.verify
        )
        assert surfaces.api["status"] == "revoked" and surfaces.api["revoked_on"] == revoked_on
        assert f"REVOKED on {revoked_on}" in surfaces.pdf
        assert surfaces.status == "revoked"
        assert "group chat" not in surfaces.verify + str(surfaces.api)  # the reason stays inside
    assert "revoked together with a module certificate" in read(client, trainee, p2).card
    notice, card = module_page(client, trainee, "basics")
    assert "Your certificate for this module was revoked." in notice
    assert "pass the quiz again" in notice and "Certificate revoked" in card
    assert matrix_words(centre, module_task, path_task) == [
        "Missing: Basics",
        f"Missing: {PATH_TITLE} (modules and observed practice)",
    ]
    client.post("/sign-in", data={"username": trainee.username, "password": PASSWORD})
    paths = text_of(client.get("/certificates/paths").text)
    client.post("/sign-out")
    assert "Your path certificate was revoked" in paths
    assert "Basics : certificate revoked: pass the quiz again for a new one" in paths

    # --- re-earning: a new module certificate, then a new path certificate ------------
    result = pass_quiz(client, trainee)
    assert "Your earlier certificate for this module was revoked." in result
    assert "This is a new certificate with a new code" in result
    (*_, m3), (*_, p3) = held(trainee, "module"), held(trainee, "path")
    assert m3.code not in (m1.code, m2.code) and p3.code not in (p1.code, p2.code)
    assert read(client, trainee, m2).api["status"] == "revoked"  # the old code stays revoked
    assert read(client, trainee, p2).api["status"] == "revoked"
    m3_end, p3_end = clock.utcnow() + timedelta(days=365), clock.utcnow() + timedelta(days=183)
    counts_everywhere(read(client, trainee, m3), "valid", m3_end)
    counts_everywhere(read(client, trainee, p3), "valid", p3_end)
    assert matrix_words(centre, module_task, path_task) == [
        f"Cleared: valid until {day(m3_end)}",
        f"Cleared: valid until {day(p3_end)}",
    ]

    # --- a trainer's pause ---------------------------------------------------------------
    services.suspend(trainee, "Asked for time off after a hard week.", trainer)
    db.session.commit()
    for certificate in (m3, p3):
        surfaces = read(client, trainee, certificate)
        assert "Paused" in surfaces.card
        assert "Certificate holder is paused" in surfaces.verify
        assert surfaces.api["status"] == "paused" and surfaces.api["state"] == "paused"
        assert "PAUSED" in surfaces.pdf
        assert surfaces.status == "paused"
        assert "hard week" not in surfaces.verify + str(surfaces.api)
    notice, _ = module_page(client, trainee, "basics")
    assert "You have completed this module." in notice  # a pause is not about what to study
    assert matrix_words(centre, module_task, path_task) == ["Paused", "Paused"]

    # --- the pause is lifted -------------------------------------------------------------
    services.lift_suspension(trainee)
    db.session.commit()
    counts_everywhere(read(client, trainee, m3), "valid", m3_end)
    counts_everywhere(read(client, trainee, p3), "valid", p3_end)
    assert matrix_words(centre, module_task, path_task) == [
        f"Cleared: valid until {day(m3_end)}",
        f"Cleared: valid until {day(p3_end)}",
    ]
