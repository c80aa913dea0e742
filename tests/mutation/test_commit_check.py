"""The commit check's own tests, run by ``make test``: the check sees every commit in the
app, a skipped commit loses the request's work, and docs/testing.md records a failing test
for every commit (the full check, ``make mutation``, takes about ten minutes)."""

from __future__ import annotations

import ast
import re

from sqlalchemy.orm import scoped_session

from academy.core.extensions import db
from academy.modules.accounts.models import User
from tests.mutation import plugin
from tests.mutation.commit_sites import APP_ROOT, PROJECT_ROOT, find_commit_sites

DOC = PROJECT_ROOT / "docs" / "testing.md"


def test_every_commit_in_the_app_is_spelled_db_session_commit():
    """A commit written any other way (``session.commit()``, ``db.session.begin()``)
    would escape the check."""
    others = []
    for path in APP_ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("commit", "begin")
                and ast.unparse(node.func) != "db.session.commit"
            ):
                others.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno}")
    assert others == []
    assert len(find_commit_sites()) > 40


def test_a_skipped_commit_loses_the_requests_work(client, auth, trainee, monkeypatch):
    """What ``make mutation`` does to each commit, here to one: the display name form's
    commit does nothing, the request's own session is rolled back, the name stays."""
    (site,) = [s for s in find_commit_sites() if s.function.endswith(":change_display_name")]
    monkeypatch.setattr(plugin, "MUTANT", site.key)
    monkeypatch.setattr(plugin, "skipped", 0)
    monkeypatch.setattr(scoped_session, "commit", plugin.commit)
    auth.sign_in(trainee)

    response = client.post("/account/display-name", data={"display_name": "Ayodele"})

    assert response.status_code == 302 and plugin.skipped == 1
    db.session.expire_all()
    assert db.session.get(User, trainee.id).display_name == "Ayo"


def test_docs_record_a_failing_test_for_every_commit_in_the_app():
    """A new commit (a new writing view) or a moved one needs the check run again:
    ``make mutation`` writes the table into docs/testing.md. Lines may shift freely."""
    row = re.compile(r"^\| `([\w.:]+)` \| \d+ \| (\w[\w ]*) \| `([^`]*)` \|$", re.M)
    rows = row.findall(DOC.read_text(encoding="utf-8"))
    recorded = sorted(function for function, _, _ in rows)
    current = sorted(site.function for site in find_commit_sites())
    assert recorded == current, "run `make mutation` (docs/testing.md, the commit check)"
    assert {outcome for _, outcome, _ in rows} == {"caught"}
    assert all(test.startswith("tests/") for _, _, test in rows)
