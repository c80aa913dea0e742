"""``academy certificates verify`` and ``rotate-key``."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request
from email.message import Message
from urllib.parse import urlsplit

import pytest

from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.certificates import services
from academy.modules.credentials import cli, documents, keys
from tests.conftest import PASSWORD
from tests.modules.credentials.conftest import BASE, signing_config


@pytest.fixture
def app_config(tmp_path) -> dict:
    return signing_config(tmp_path)


@pytest.fixture
def web(client, monkeypatch):
    """Addresses of the app answer through the test client; others are unreachable."""
    requested: list[str] = []

    def fetch(url: str) -> bytes:
        requested.append(url)
        if not url.startswith(BASE):
            raise OSError("unreachable")
        response = client.get(urlsplit(url).path)
        if response.status_code != 200:
            raise OSError(f"HTTP {response.status_code}")
        return response.data

    monkeypatch.setattr(cli, "fetch_url", fetch)
    return requested


@pytest.fixture
def credential_file(tmp_path, certificate):
    def write(document: dict | None = None, name: str = "credential.json"):
        path = tmp_path / name
        document = document or documents.issue_credential(certificate)
        path.write_bytes(documents.credential_json(document))
        return path

    return write


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=["certificates", *args])


def test_a_valid_credential_passes_with_its_status_checked(app, web, credential_file):
    result = run(app, "verify", str(credential_file()))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("VALID: Basics, held by Ayo")
    assert "status checked: valid (neither revoked nor paused)" in result.output
    key = keys.load_keyring().current
    assert web == [f"{BASE}/status/{key.public_key_multibase}"]


def test_no_base_url_is_needed_to_verify_a_credential_from_this_server(
    app, client, trainee, certificate, tmp_path, monkeypatch
):
    # As after `make run PORT=5701`: nothing configured, the address comes from the request.
    app.config["ACADEMY_BASE_URL"] = None
    served_at = "http://127.0.0.1:5701"
    sign_in = {"username": trainee.username, "password": PASSWORD}
    client.post("/sign-in", data=sign_in, base_url=served_at)
    response = client.get(f"/certificates/{certificate.code}/credential.json", base_url=served_at)
    document = json.loads(response.data)
    assert document["id"].startswith("http://127.0.0.1:5701/verify/")
    assert document["credentialStatus"]["statusListCredential"].startswith(
        "http://127.0.0.1:5701/status/"
    )
    served = []

    def fetch(url: str) -> bytes:
        served.append(url)
        return client.get(urlsplit(url).path, base_url=served_at).data

    monkeypatch.setattr(cli, "fetch_url", fetch)
    path = tmp_path / "from-5701.json"
    path.write_bytes(response.data)
    result = run(app, "verify", str(path))
    assert result.exit_code == 0, result.output
    assert served == [document["credentialStatus"]["statusListCredential"]]


def test_offline_nothing_is_fetched_and_the_output_says_so(app, web, credential_file):
    result = run(app, "verify", "--offline", str(credential_file()))
    assert result.exit_code == 0
    assert "not checked (offline)" in result.output
    assert web == []


def test_a_tampered_credential_fails_with_the_reason(app, web, certificate, credential_file):
    document = documents.issue_credential(certificate)
    document["name"] = "Advanced"
    result = run(app, "verify", str(credential_file(document)))
    assert result.exit_code == 1
    assert result.output.startswith("NOT VALID")
    assert "signature does not match: the credential was changed after it was signed" in (
        result.output
    )


def test_a_revoked_credential_fails(app, web, certificate, make_user, credential_file):
    path = credential_file()
    services.revoke_certificate(
        certificate, "Shared confidential details.", make_user(Role.TRAINER)
    )
    db.session.commit()
    result = run(app, "verify", str(path))
    assert result.exit_code == 1
    key = keys.load_keyring().current
    assert f"revoked (status list {BASE}/status/{key.public_key_multibase})" in result.output
    assert run(app, "verify", "--offline", str(path)).exit_code == 0


def test_a_file_that_is_not_json_fails_clearly(app, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"name": ')
    result = run(app, "verify", "--offline", str(path))
    assert result.exit_code == 1
    assert "is not well-formed JSON" in result.output


def test_keys_can_come_from_a_saved_issuer_profile(app, client, tmp_path, credential_file):
    profile = tmp_path / "issuer.json"
    profile.write_bytes(client.get("/issuer").data)
    result = run(app, "verify", "--offline", "--keys", str(profile), str(credential_file()))
    assert result.exit_code == 0, result.output


def test_keys_can_come_from_the_issuers_address(app, web, credential_file):
    url = f"{BASE}/.well-known/academy-keys.json"
    result = run(app, "verify", "--keys", url, str(credential_file()))
    assert result.exit_code == 0, result.output
    assert web[0] == url


def test_another_issuers_key_set_does_not_vouch_for_this_credential(app, tmp_path, credential_file):
    other = tmp_path / "other.json"
    method = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    other.write_text(
        json.dumps({"issuer": "https://other.example/issuer", "keys": [f"{method}#{method[8:]}"]})
    )
    result = run(app, "verify", "--offline", "--keys", str(other), str(credential_file()))
    assert result.exit_code == 1
    assert "signed with a key that https://other.example/issuer does not list" in result.output


def test_an_unreadable_key_set_is_an_error(app, tmp_path, credential_file):
    result = run(app, "verify", "--keys", str(tmp_path / "missing.json"), str(credential_file()))
    assert result.exit_code == 1
    assert "Cannot read the key set" in result.output


def test_without_any_local_key_the_verifier_asks_for_a_key_set(app, tmp_path):
    path = tmp_path / "c.json"
    path.write_text("{}")
    result = run(app, "verify", str(path))
    assert result.exit_code == 1
    assert "There are no keys in" in result.output


def test_rotate_key_keeps_what_was_signed_before_valid(app, web, credential_file):
    before = credential_file(name="before.json")
    result = run(app, "rotate-key")
    assert result.exit_code == 0
    assert "New signing key: did:key:z6Mk" in result.output
    assert "Retired, still trusted for verification: did:key:z6Mk" in result.output
    after = credential_file(name="after.json")
    assert json.loads(after.read_text())["proof"][0]["verificationMethod"] in result.output
    assert run(app, "verify", str(before)).exit_code == 0
    assert run(app, "verify", str(after)).exit_code == 0


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/list"])
def test_the_fetcher_opens_only_web_addresses(url):
    with pytest.raises(ValueError, match="only http and https"):
        cli.fetch_url(url)


def test_a_redirect_away_from_the_web_is_not_followed():
    request = urllib.request.Request("https://academy.example/status/revocation")
    with pytest.raises(urllib.error.URLError, match="not http or https"):
        cli._WebOnlyRedirects().redirect_request(
            request, io.BytesIO(), 302, "Found", Message(), "file:///etc/passwd"
        )
