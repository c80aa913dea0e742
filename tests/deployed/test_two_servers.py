"""Two app servers (two `academy serve` processes) on one PostgreSQL database and one
Redis, sharing SECRET_KEY and the signing keys (docs/deploy.md, section 5): whatever a
trainee starts on one, the other continues."""

from __future__ import annotations

import re

from academy import create_app
from academy.core.catalogue import current_catalogue
from tests.deployed.conftest import PASSWORD, prepare_database
from tests.deployed.proxied_client import ProxiedClient

MODULE = "peer-role"


def module_plan(env: dict[str, str]) -> tuple[list[str], dict]:
    """The lessons of MODULE, and the right option ids for every question of its quiz."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SECRET_KEY": "only-for-reading-the-content",
            "ACADEMY_CONTENT_DIR": env["ACADEMY_CONTENT_DIR"],
            "ACADEMY_INSTANCE_PATH": env["ACADEMY_INSTANCE_PATH"],
        }
    )
    with app.app_context():
        module = current_catalogue().modules[MODULE]
        lessons = [lesson.slug for lesson in module.lessons]
        right = {q.id: q.type.right_answer(q) for q in module.quiz.questions}
    return lessons, right


def test_a_trainee_moves_between_two_servers(
    server_env, postgres_url, redis_url, start_server, tmp_path
):
    env = server_env | {
        "DATABASE_URL": postgres_url,
        "REDIS_URL": redis_url,
        "ACADEMY_LIMIT_VERIFY": "5 per minute",
    }
    prepare_database(env, "peer-travels")
    one, two = start_server(env, 2), start_server(env, 2)
    lessons, right = module_plan(env)
    trainee = ProxiedClient()

    # Signed in on one, recognised on the other (shared SECRET_KEY, one database).
    assert trainee.sign_in(one, "peer-travels", PASSWORD) == 302
    status, _, page = trainee.get(two, "/modules")
    assert status == 200 and "Modules" in page

    # Lessons studied on alternating servers; the quiz drawn on one, sent to the other.
    for number, lesson in enumerate(lessons):
        server = (one, two)[number % 2]
        trainee.get(server, f"/modules/{MODULE}/lessons/{lesson}")
        status, _, _ = trainee.post(server, f"/modules/{MODULE}/lessons/{lesson}/studied")
        assert status in (302, 303), lesson
    status, _, quiz = trainee.get(one, f"/modules/{MODULE}/quiz")
    assert status == 200
    action = re.search(r'action="(/quiz/attempts/\d+)"', quiz).group(1)
    drawn = dict.fromkeys(re.findall(r'name="answer-([^"]+)"', quiz))
    answers = {f"answer-{qid}": right[qid] for qid in drawn}
    status, headers, _ = trainee.post(two, action, answers)
    assert status in (302, 303)
    status, _, result = trainee.get(one, headers["location"].removeprefix("https://academy.test"))
    assert "Passed." in result

    # The certificate issued on one verifies on the other.
    _, _, certificates = trainee.get(two, "/certificates")
    code = re.search(r'<code class="code">([0-9A-Z-]{24})</code>', certificates).group(1)
    status, _, verified = ProxiedClient("192.0.2.50").get(one, f"/verify?code={code}")
    assert status == 200 and "Valid certificate" in verified

    # A rate limit spent on one server holds on the other (one Redis).
    stranger = ProxiedClient("192.0.2.99")
    statuses = [stranger.get((one, two)[n % 2], f"/verify?code={code}")[0] for n in range(7)]
    assert statuses == [200] * 5 + [429] * 2

    # Signed out on two: the session is gone on one as well.
    assert trainee.post(two, "/sign-out")[0] in (302, 303)
    status, headers, _ = trainee.get(one, "/modules")
    assert status == 302 and "/sign-in" in headers["location"]
