"""Signing keys: created once outside the repository, safe with several workers, rotatable."""

from __future__ import annotations

import json
import stat
import threading
from urllib.parse import urlsplit

import pytest

from academy.modules.credentials import documents, keys, verification
from tests.conftest import build_config


@pytest.fixture
def key_dir(tmp_path):
    return tmp_path / "secret" / "keys"


@pytest.fixture
def app_config(tmp_path, key_dir) -> dict:
    return build_config(tmp_path, ACADEMY_KEY_DIR=str(key_dir), ACADEMY_STATUS_LIST_TTL=0)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_first_use_creates_one_private_key_readable_only_by_the_app(app, key_dir):
    keyring = keys.load_keyring()
    assert mode(key_dir) == 0o700
    (pem,) = key_dir.glob("*.pem")
    assert mode(pem) == 0o600
    assert pem.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert keyring.current.id == f"did:key:{pem.stem}#{pem.stem}"
    assert keyring.current.id.startswith("did:key:z6Mk")
    assert keys.load_keyring().current == keyring.current


def test_without_a_setting_the_keys_live_in_the_instance_folder(app, tmp_path):
    app.config["ACADEMY_KEY_DIR"] = None
    assert keys.key_directory() == tmp_path / "instance" / "keys"


def test_the_index_records_which_key_is_current(app, key_dir):
    keyring = keys.load_keyring()
    index = json.loads((key_dir / "keys.json").read_text())
    assert index["current"] == keyring.current.public_key_multibase
    assert index["keys"][0]["retired"] is None


def test_workers_starting_together_agree_on_one_key(app, key_dir):
    barrier = threading.Barrier(8)
    results: list[str] = []

    def start_worker() -> None:
        barrier.wait()
        results.append(keys.load_keyring(key_dir).current.id)

    threads = [threading.Thread(target=start_worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1
    assert len(list(key_dir.glob("*.pem"))) == 1


def test_a_worker_that_loses_the_race_uses_the_winners_key(app, key_dir, monkeypatch):
    key_dir.mkdir(parents=True)
    real_write = keys._write_private_key

    def another_worker_wins_meanwhile(directory, private_key):
        name = real_write(directory, private_key)
        monkeypatch.setattr(keys, "_write_private_key", real_write)
        keys._create_first_key(directory)  # the other worker finishes first
        return name

    monkeypatch.setattr(keys, "_write_private_key", another_worker_wins_meanwhile)
    keyring = keys.load_keyring(key_dir)
    (pem,) = key_dir.glob("*.pem")  # the loser's key file is gone
    assert keyring.current.public_key_multibase == pem.stem


def test_a_key_file_that_does_not_match_its_name_is_refused(app, key_dir):
    current = keys.load_keyring().current
    keys.rotate_key()
    new = keys.load_keyring().current
    old_pem = key_dir / f"{current.public_key_multibase}.pem"
    new_pem = key_dir / f"{new.public_key_multibase}.pem"
    new_pem.write_bytes(old_pem.read_bytes())
    keys._cache.clear()
    with pytest.raises(keys.KeyStoreError, match="does not hold the key its name says"):
        keys.load_keyring()


def test_rotation_keeps_old_credentials_valid_and_signs_new_ones_with_the_new_key(app, certificate):
    before = documents.issue_credential(certificate)
    old_key = before["proof"][0]["verificationMethod"]
    new, retired = keys.rotate_key()
    assert retired.id == old_key
    assert retired.retired is not None
    assert new.id != old_key and new.retired is None
    after = documents.issue_credential(certificate)
    assert after["proof"][0]["verificationMethod"] == new.id
    assert after["issuer"]["id"] == new.controller
    assert before["issuer"]["id"] == retired.controller
    trusted = verification.local_trusted_keys()
    assert trusted.key_ids == {old_key, new.id}
    assert verification.verify_credential(before, trusted).valid
    assert verification.verify_credential(after, trusted).valid


def test_after_rotation_each_key_signs_its_own_status_list(app, client, certificate):
    before = documents.issue_credential(certificate)
    new, retired = keys.rotate_key()
    after = documents.issue_credential(certificate)
    for document, key in ((before, retired), (after, new)):
        url = document["credentialStatus"]["statusListCredential"]
        assert url.endswith(f"/status/{key.public_key_multibase}")
        status = json.loads(client.get(urlsplit(url).path).data)
        assert status["issuer"] == document["issuer"]["id"] == key.controller
        assert status["proof"][0]["verificationMethod"] == key.id


def test_rotating_twice_keeps_every_key(app):
    first = keys.load_keyring().current
    second, _ = keys.rotate_key()
    third, retired = keys.rotate_key()
    assert retired.id == second.id
    records = keys.load_keyring().records
    assert [record.id for record in records] == [first.id, second.id, third.id]
    assert [record.retired is None for record in records] == [False, False, True]


@pytest.mark.parametrize(
    "method",
    [
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",  # no fragment
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#key-1",
        "did:web:academy.example#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        # a secp256k1 key (multicodec 0xe7), not Ed25519
        "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme"
        "#zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme",
        None,
    ],
)
def test_only_ed25519_did_key_verification_methods_are_accepted(method):
    with pytest.raises(ValueError):
        keys.public_key_from_verification_method(method)


def test_a_retired_key_without_its_file_has_no_status_list(app, client, key_dir, caplog):
    retired = keys.load_keyring().current
    keys.rotate_key()
    (key_dir / f"{retired.public_key_multibase}.pem").unlink()
    response = client.get(f"/status/{retired.public_key_multibase}")
    assert response.status_code == 404
    assert "key file is unreadable" in caplog.text
    assert str(key_dir) not in caplog.text
