"""The certificates table: every completed module's and path's certificate, and older ones
of an earlier content version."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta

from generate_plan import DataSet
from generate_settings import CERTIFICATES, MODULE_ORDER, PATH_SLUG
from generate_users import NamedAccounts
from generate_writer import Writer

CERTIFICATE_COLUMNS = (
    "id",
    "code",
    "user_id",
    "holder_name",
    "kind",
    "subject_slug",
    "subject_title",
    "subject_version",
    "issued_at",
    "expires_at",
    "renewed_at",
    "revoked_at",
    "revocation_reason",
    "revoked_by_id",
    "status_index",
)
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
STATUS_LIST_LENGTH = 2**21


def write_certificates(
    writer: Writer, data: DataSet, named: NamedAccounts, rng: random.Random
) -> list[str]:
    """Returns every code, for the verification benchmark to draw from."""
    total = CERTIFICATES + len(MODULE_ORDER) + 1  # and bench-graduate's
    indexes = iter(rng.sample(range(STATUS_LIST_LENGTH), total))
    codes: list[str] = []
    seen: set[str] = set()

    def code() -> str:
        while True:
            value = "".join(rng.choices(CODE_ALPHABET, k=20))
            if value not in seen:
                seen.add(value)
                codes.append(value)
                return value

    def certificate(user_id: int, name: str, kind: str, slug: str, title: str, version: str,
                    issued: datetime) -> tuple:  # fmt: skip
        revoked = issued + timedelta(days=30) if rng.random() < 0.01 else None
        return (
            0,
            code(),
            user_id,
            name,
            kind,
            slug,
            title,
            version,
            issued,
            issued + timedelta(days=730),  # 24 months: some have expired
            None,
            revoked,
            "Benchmark data" if revoked else None,
            None,
            next(indexes),
        )

    def rows() -> Iterator[tuple]:
        for trainee in data.trainees:
            name = f"Peer {trainee.id}"
            for index in range(trainee.completed):
                slug = MODULE_ORDER[index]
                module = data.modules[slug]
                issued = trainee.started_at + timedelta(days=7 * index + 1)
                yield certificate(trainee.id, name, "module", slug, module.title,
                                  module.version, min(issued, data.now))  # fmt: skip
                if slug in trainee.old_certificates:
                    earlier = issued - timedelta(days=400)
                    yield certificate(trainee.id, name, "module", slug, module.title, "0.9",
                                      earlier)  # fmt: skip
            if trainee.completed == len(MODULE_ORDER) and trainee.observed:
                issued = min(trainee.started_at + timedelta(days=40), data.now)
                yield certificate(trainee.id, name, "path", PATH_SLUG, data.path.title,
                                  _path_version(data), issued)  # fmt: skip
        issued = data.now - timedelta(days=60)
        for slug in MODULE_ORDER:
            module = data.modules[slug]
            yield certificate(named.graduate, "Bench graduate", "module", slug, module.title,
                              module.version, issued)  # fmt: skip
        yield certificate(named.graduate, "Bench graduate", "path", PATH_SLUG,
                          data.path.title, _path_version(data), issued)  # fmt: skip

    numbered = ((i, *row[1:]) for i, row in enumerate(rows(), start=1))
    count = writer.insert("certificates", CERTIFICATE_COLUMNS, numbered)
    data.next_id["certificates"] = count + 1
    return codes


def _path_version(data: DataSet) -> str:
    return "+".join(data.modules[slug].version for slug in MODULE_ORDER)
