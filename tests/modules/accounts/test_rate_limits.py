"""Per-address rate limits (sign-in, password changes, certificate checks, API tokens),
how they are configured, and the limiter's counters (docs/security.md)."""

from __future__ import annotations

import pytest

from academy.core.extensions import db
from tests.conftest import PASSWORD
from tests.modules.accounts.test_throttling import TOO_MANY, post_sign_in


@pytest.mark.parametrize(
    "app_config", [{"ACADEMY_LIMIT_SIGN_IN": "3 per minute; 50 per hour"}], indirect=True
)
def test_too_many_sign_ins_from_one_address_get_429_with_retry_after(client, trainee):
    for name in ("nobody-here", "trainee-one", "someone-else"):
        assert post_sign_in(client, name, "not the password").status_code == 400

    response = post_sign_in(client, "trainee-one", PASSWORD)

    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 61  # the window, rounded up
    assert TOO_MANY in response.text
    assert response.mimetype == "text/html"
    assert not client.get("/modules").status_code == 200


@pytest.mark.parametrize("app_config", [{"ACADEMY_LIMIT_SIGN_IN": "2 per minute"}], indirect=True)
def test_only_sign_in_posts_count_against_the_limit(client, trainee):
    for _ in range(5):
        assert client.get("/sign-in").status_code == 200

    assert post_sign_in(client, "trainee-one", PASSWORD).status_code == 302


@pytest.mark.parametrize("app_config", [{"ACADEMY_LIMIT_SIGN_IN": "2 per minute"}], indirect=True)
def test_each_address_has_its_own_budget(client, trainee):
    one = {"REMOTE_ADDR": "192.0.2.1"}
    two = {"REMOTE_ADDR": "192.0.2.2"}
    fail_twice = [post_sign_in(client, "x-user", "wrong", environ_base=one) for _ in range(2)]
    assert [r.status_code for r in fail_twice] == [400, 400]
    assert post_sign_in(client, "x-user", "wrong", environ_base=one).status_code == 429

    assert post_sign_in(client, "trainee-one", PASSWORD, environ_base=two).status_code == 302


@pytest.mark.parametrize(
    "app_config",
    [{"ACADEMY_LIMIT_SIGN_IN": "2 per minute", "RATELIMIT_ENABLED": False}],
    indirect=True,
)
def test_rate_limits_can_be_switched_off(client, trainee):
    for _ in range(5):
        assert post_sign_in(client, "nobody-here", "wrong").status_code == 400


@pytest.mark.parametrize(
    "app_config",
    [{"ACADEMY_LIMIT_SIGN_IN": "2 per minute", "ACADEMY_PROXY_FIX": 1}],
    indirect=True,
)
def test_behind_a_trusted_proxy_each_forwarded_address_has_its_own_budget(client, trainee):
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(2):
        post_sign_in(client, "x-user", "wrong", environ_base=proxy, headers=_forwarded("192.0.2.1"))
    blocked = post_sign_in(
        client, "x-user", "wrong", environ_base=proxy, headers=_forwarded("192.0.2.1")
    )
    other = post_sign_in(
        client, "trainee-one", PASSWORD, environ_base=proxy, headers=_forwarded("192.0.2.2")
    )

    assert (blocked.status_code, other.status_code) == (429, 302)


@pytest.mark.parametrize("app_config", [{"ACADEMY_LIMIT_SIGN_IN": "2 per minute"}], indirect=True)
def test_without_proxy_fix_a_forged_forwarded_header_does_not_buy_more_attempts(client, trainee):
    statuses = [
        post_sign_in(client, "x-user", "wrong", headers=_forwarded(f"192.0.2.{n}")).status_code
        for n in range(3)
    ]

    assert statuses == [400, 400, 429]


def _forwarded(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


@pytest.mark.parametrize(
    "app_config", [{"ACADEMY_LIMIT_ACCOUNT_CHANGE": "2 per minute"}], indirect=True
)
def test_password_changes_are_rate_limited(client, auth, trainee):
    auth.sign_in(trainee)
    form = {
        "current_password": "not the password",
        "new_password": "a brand new password",
        "confirm_password": "a brand new password",
    }
    statuses = [client.post("/account/password", data=form).status_code for _ in range(3)]

    assert statuses == [400, 400, 429]


# --- certificate verification --------------------------------------------------------------

CODE = "ABCD-EFGH-JKMN-PQRS-TVWX"


@pytest.mark.parametrize("app_config", [{"ACADEMY_LIMIT_VERIFY": "3 per minute"}], indirect=True)
def test_the_verification_page_and_api_share_one_budget(client):
    answers = [
        client.get("/verify", query_string={"code": CODE}).status_code,
        client.get(f"/api/v1/certificates/{CODE}").status_code,
        client.get("/verify", query_string={"code": CODE}).status_code,
    ]
    api = client.get(f"/api/v1/certificates/{CODE}")
    page = client.get("/verify", query_string={"code": CODE})

    assert answers == [404, 404, 404]  # unknown codes, answered
    assert api.status_code == page.status_code == 429
    assert api.mimetype == "application/json"
    assert api.get_json() == {"error": TOO_MANY, "status": 429}
    assert int(api.headers["Retry-After"]) >= 1
    assert page.mimetype == "text/html"
    assert TOO_MANY in page.text


@pytest.mark.parametrize(
    "app_config",
    [{"ACADEMY_LIMIT_VERIFY": "2 per minute", "ACADEMY_LIMIT_API_TOKEN": "4 per minute"}],
    indirect=True,
)
def test_a_centre_api_token_gets_the_higher_limit(client, make_user):
    from academy.modules.centres import api_tokens
    from tests.modules.centres.helpers import coordinator_of, make_centre

    centre = make_centre(make_user)
    _, plain = api_tokens.create_token(centre, "Rota", coordinator_of(centre))
    db.session.commit()
    with_token = {"Authorization": f"Bearer {plain}"}
    forged = {"Authorization": "Bearer pa_not-a-real-token"}

    statuses = [
        client.get(f"/api/v1/certificates/{CODE}", headers=with_token).status_code for _ in range(5)
    ]
    without = [client.get(f"/api/v1/certificates/{CODE}").status_code for _ in range(3)]
    bad = client.get(f"/api/v1/certificates/{CODE}", headers=forged)

    assert statuses == [404, 404, 404, 404, 429]
    assert without == [404, 404, 429]
    assert bad.status_code == 429  # a made-up token buys nothing


def test_codes_cannot_be_enumerated_at_the_default_rate(client):
    statuses = [client.get(f"/api/v1/certificates/{CODE}").status_code for _ in range(31)]

    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429


# --- configuration -------------------------------------------------------------------------


def test_limits_can_be_set_in_the_environment(monkeypatch):
    from academy.core.config import config_from_environment

    monkeypatch.setenv("ACADEMY_LIMIT_SIGN_IN", "7 per minute")
    monkeypatch.setenv("ACADEMY_RATELIMIT_ENABLED", "0")

    config = config_from_environment()

    assert config["ACADEMY_LIMIT_SIGN_IN"] == "7 per minute"
    assert config["RATELIMIT_ENABLED"] is False


def test_a_mistyped_limit_stops_the_app_at_start(app_config):  # noqa: F811
    from academy import create_app

    with pytest.raises(ValueError, match="ACADEMY_LIMIT_VERIFY"):
        create_app(app_config | {"ACADEMY_LIMIT_VERIFY": "thirty a minute"})


def test_redis_url_selects_shared_storage(monkeypatch):
    from academy.core.config import config_from_environment

    monkeypatch.delenv("REDIS_URL", raising=False)
    assert config_from_environment()["RATELIMIT_STORAGE_URI"] == "academy-memory://"
    monkeypatch.setenv("REDIS_URL", "redis://cache.internal:6379/0")
    assert config_from_environment()["RATELIMIT_STORAGE_URI"] == "redis://cache.internal:6379/0"


def test_in_memory_counters_are_swept_once_a_second_not_after_every_hit(app, monkeypatch):
    from limits.storage import MemoryStorage, storage_from_string

    from academy.core.limiter import SweepingMemoryStorage, limiter

    assert isinstance(limiter._storage, SweepingMemoryStorage)
    # limits still schedules its sweep through the method we replace
    assert "_MemoryStorage__schedule_expiry" in vars(MemoryStorage)
    storage = storage_from_string("academy-memory://")
    sweeps = []
    monkeypatch.setattr(storage, "_MemoryStorage__expire_events", lambda: sweeps.append(1))
    storage.timer.join()  # the sweep the constructor schedules
    for address in range(1000):
        key = f"verify/10.0.{address // 256}.{address % 256}"
        assert storage.acquire_sliding_window_entry(key, 30, 60)
    assert storage.timer.interval == SweepingMemoryStorage.SWEEP_SECONDS
    assert sweeps == []  # a thousand hits, no sweep yet (the base class: one per 10 ms)


def test_in_memory_counters_still_refuse_the_thirty_first_check_in_a_minute():
    from limits.storage import storage_from_string

    storage = storage_from_string("academy-memory://")
    hit = storage.acquire_sliding_window_entry
    assert all(hit("verify/10.0.0.1", 30, 60) for _ in range(30))
    assert not hit("verify/10.0.0.1", 30, 60)
    assert hit("verify/10.0.0.2", 30, 60)


@pytest.mark.parametrize(
    "app_config", [{"ACADEMY_LIMIT_VERIFY": "500 per minute; 5000 per hour"}], indirect=True
)
def test_the_counters_of_a_busy_address_stay_the_same_size(client):
    from academy.core.limiter import limiter

    for _ in range(200):
        assert client.get(f"/api/v1/certificates/{CODE}").status_code == 404

    storage = limiter._storage
    assert storage.events == {}  # no entry kept per request, as a moving window would
    # two windows (minute, hour) of two counters each, whatever the number of requests
    assert len(storage.storage) <= 4
    assert sum(storage.storage.values()) == 2 * 200
