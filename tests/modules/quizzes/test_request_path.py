"""One request's path, as docs/architecture.md tells it: a quiz submission runs these
statements and commits once. A change to the path shows here and belongs in the doc."""

from __future__ import annotations

import re

from sqlalchemy import event

from academy.core.extensions import db

ALL_RIGHT = {"q-sky": ["1"], "q-fruit": ["1", "3"], "q-cat": ["2"]}
# The first passing submission, with lessons still to study (docs/architecture.md).
PATH_OF_A_PASSING_SUBMISSION = [
    "SELECT users",  # Flask-Login loads the signed-in user (and checks the session nonce)
    "SELECT quiz_attempts",  # the trainee's own attempt
    "SELECT quiz_attempts",  # pacing: the newest attempts sent, unless a lift came after
    "UPDATE quiz_attempts",  # graded and recorded once: WHERE submitted_at IS NULL
    "SELECT module_progress",  # progress: the module's row ...
    "SAVEPOINT",  # ... created if missing, safe against a simultaneous request
    "INSERT module_progress",
    "RELEASE SAVEPOINT",
    "UPDATE module_progress",  # quiz passed, with the version
    "SELECT lesson_progress",  # completed? only when every lesson is studied too
]


def statement_kind(sql: str) -> str:
    words = " ".join(sql.split())
    for pattern in (r"^(SAVEPOINT|RELEASE SAVEPOINT)", r"^(SELECT) .*? FROM (\w+)"):
        match = re.match(pattern, words)
        if match:
            return " ".join(match.groups())
    match = re.match(r"^(INSERT INTO|UPDATE) (\w+)", words)
    return f"{match.group(1).removesuffix(' INTO')} {match.group(2)}" if match else words


def test_a_quiz_submission_runs_the_documented_statements_and_commits_once(client, auth, trainee):
    auth.sign_in(trainee)
    page = client.get("/modules/basics/quiz").text
    attempt_id = int(re.search(r'action="/quiz/attempts/(\d+)"', page).group(1))
    statements: list[str] = []
    commits: list[object] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement_kind(statement))

    def count_commit(_conn) -> None:
        commits.append(_conn)

    event.listen(db.engine, "before_cursor_execute", record)
    event.listen(db.engine, "commit", count_commit)
    try:
        form = {f"answer-{qid}": options for qid, options in ALL_RIGHT.items()}
        response = client.post(f"/quiz/attempts/{attempt_id}", data=form)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
        event.remove(db.engine, "commit", count_commit)

    assert response.status_code == 302
    assert statements == PATH_OF_A_PASSING_SUBMISSION
    assert len(commits) == 1
