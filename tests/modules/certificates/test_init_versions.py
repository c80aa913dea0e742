"""`academy init` records when each module version was first loaded: a version with
`recertify: true` counts its grace period from then (docs/certificates.md)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from academy import create_app
from academy.core.catalogue import current_catalogue
from academy.core.extensions import db
from academy.modules.certificates.models import ModuleVersion


@pytest.mark.filterwarnings("ignore:'get_engine' is deprecated:DeprecationWarning")
def test_init_keeps_the_first_sight_of_every_module_version(app_config, tmp_path, monkeypatch):
    # migrations/env.py applies alembic.ini's logging setup; keep pytest's.
    monkeypatch.setattr("logging.config.fileConfig", lambda *args, **kwargs: None)
    path = tmp_path / "init.sqlite3"
    app = create_app(app_config | {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})

    result = app.test_cli_runner().invoke(args=["init"])

    assert result.exit_code == 0, result.output
    assert "module versions are new; their recertification starts today" in result.output
    with app.app_context():
        db.session.remove()  # what init stored, not what its session still holds
        seen = {(v.module_slug, v.version) for v in db.session.scalars(select(ModuleVersion))}
        expected = {(m.slug, m.version) for m in current_catalogue().modules.values()}
        db.engine.dispose()
    assert seen == expected and expected
