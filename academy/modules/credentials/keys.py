"""The issuer's Ed25519 signing keys: created once, kept outside the repository, rotatable.

The key directory (``ACADEMY_KEY_DIR``, default ``<instance>/keys``, mode 0700) holds
one PKCS#8 PEM file per key (mode 0600) and ``keys.json``, which names the current key
and lists every key ever used, so credentials signed with a retired key still verify.

A key's id is its did:key verification method, ``did:key:z6Mk…#z6Mk…``: the public key
itself, so any verifier can read it without a network, and nothing else to keep in sync.

Several worker processes may start at once: the first key is written under a unique
file name and ``keys.json`` is created with an atomic link that fails if another process
got there first, in which case this process reads the winner's file. Rotation (a rare
admin command) takes a lock for its read-modify-write of ``keys.json``.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from flask import current_app

from academy.core.clock import utcnow
from academy.modules.credentials.multibase import (
    MultibaseError,
    decode_ed25519_public_key,
    encode_ed25519_public_key,
)

INDEX_FILE = "keys.json"
LOCK_FILE = "keys.lock"
DID_KEY_PREFIX = "did:key:"


class KeyStoreError(RuntimeError):
    """The key directory is unusable (unreadable, inconsistent); the message says why."""


@dataclass(frozen=True)
class KeyRecord:
    """One key as published: never the private part."""

    id: str  # did:key:z6Mk…#z6Mk…
    public_key_multibase: str
    created: str
    retired: str | None = None

    @property
    def controller(self) -> str:
        return self.id.split("#", 1)[0]


@dataclass(frozen=True)
class KeyRing:
    current: KeyRecord
    records: tuple[KeyRecord, ...]
    private_key: Ed25519PrivateKey

    @property
    def key_ids(self) -> frozenset[str]:
        return frozenset(record.id for record in self.records)


# --- did:key ------------------------------------------------------------------------------


def verification_method_id(public_key_multibase: str) -> str:
    return f"{DID_KEY_PREFIX}{public_key_multibase}#{public_key_multibase}"


def public_key_from_verification_method(method_id: object) -> Ed25519PublicKey:
    """The Ed25519 key a ``did:key:z6Mk…#z6Mk…`` id names; ValueError for anything else."""
    if not isinstance(method_id, str) or not method_id.startswith(DID_KEY_PREFIX):
        raise ValueError("the verification method is not a did:key")
    did, _, fragment = method_id.partition("#")
    multibase = did[len(DID_KEY_PREFIX) :]
    if fragment != multibase:
        raise ValueError("a did:key verification method must end in #<the key itself>")
    try:
        return Ed25519PublicKey.from_public_bytes(decode_ed25519_public_key(multibase))
    except MultibaseError as error:
        raise ValueError(f"the did:key is not an Ed25519 key: {error}") from error


def _public_multibase(private_key: Ed25519PrivateKey) -> str:
    raw = private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return encode_ed25519_public_key(raw)


def _now_text() -> str:
    return utcnow().replace(microsecond=0).isoformat() + "Z"


# --- the key directory --------------------------------------------------------------------


def key_directory() -> Path:
    """The configured key directory; the default lives in the instance folder."""
    configured = current_app.config.get("ACADEMY_KEY_DIR") or os.environ.get("ACADEMY_KEY_DIR")
    if configured:
        return Path(configured)
    return Path(current_app.config["ACADEMY_INSTANCE_PATH"]) / "keys"


def _ensure_directory(directory: Path) -> None:
    if not directory.exists():
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)


def _write_private_key(directory: Path, private_key: Ed25519PrivateKey) -> str:
    """Write the key to ``<public multibase>.pem`` (0600, never overwriting); its name."""
    name = f"{_public_multibase(private_key)}.pem"
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(directory / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return name


def _load_private_key(directory: Path, record: KeyRecord) -> Ed25519PrivateKey:
    path = directory / f"{record.public_key_multibase}.pem"
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as error:
        raise KeyStoreError(f"cannot read the signing key {path}: {error}") from error
    # A swapped or edited file must not sign under another key's name.
    if not isinstance(key, Ed25519PrivateKey) or _public_multibase(key) != (
        record.public_key_multibase
    ):
        raise KeyStoreError(f"{path} does not hold the key its name says")
    return key


def _temporary_index(directory: Path, index: dict) -> Path:
    fd, name = tempfile.mkstemp(prefix=".keys-", suffix=".json", dir=directory)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(index, handle, indent=2)
        handle.write("\n")
    return Path(name)


def _create_index(directory: Path, index: dict) -> bool:
    """Create keys.json atomically; False if another process created it first."""
    temporary = _temporary_index(directory, index)
    try:
        os.link(temporary, directory / INDEX_FILE)
        return True
    except FileExistsError:
        return False
    finally:
        temporary.unlink()


def _replace_index(directory: Path, index: dict) -> None:
    os.replace(_temporary_index(directory, index), directory / INDEX_FILE)


def _read_index(directory: Path) -> dict | None:
    try:
        return json.loads((directory / INDEX_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        raise KeyStoreError(f"cannot read {directory / INDEX_FILE}: {error}") from error


def _records(index: dict) -> tuple[KeyRecord, ...]:
    try:
        return tuple(
            KeyRecord(
                id=verification_method_id(entry["publicKeyMultibase"]),
                public_key_multibase=entry["publicKeyMultibase"],
                created=entry["created"],
                retired=entry.get("retired"),
            )
            for entry in index["keys"]
        )
    except (KeyError, TypeError) as error:
        raise KeyStoreError(f"{INDEX_FILE} is not in the expected format") from error


def _entry(public_key_multibase: str) -> dict:
    return {"publicKeyMultibase": public_key_multibase, "created": _now_text(), "retired": None}


def _create_first_key(directory: Path) -> None:
    private_key = Ed25519PrivateKey.generate()
    name = _write_private_key(directory, private_key)
    multibase = name.removesuffix(".pem")
    if not _create_index(directory, {"current": multibase, "keys": [_entry(multibase)]}):
        # Another worker won the race: its key is the one; ours was never used.
        (directory / name).unlink()


# --- reading and rotating -----------------------------------------------------------------


def published_keys(directory: Path) -> tuple[KeyRecord, ...]:
    """Every key in the directory, current and retired; empty when there is none yet."""
    index = _read_index(directory)
    return _records(index) if index else ()


def _build_keyring(directory: Path, index: dict) -> KeyRing:
    records = _records(index)
    current = next((r for r in records if r.public_key_multibase == index.get("current")), None)
    if current is None:
        raise KeyStoreError(f"{INDEX_FILE} names no current key")
    return KeyRing(current, records, _load_private_key(directory, current))


_cache: dict[Path, tuple[tuple[int, int, int], KeyRing]] = {}
_cache_lock = threading.Lock()


def load_keyring(directory: Path | None = None) -> KeyRing:
    """The key ring, creating the first key on first use.

    Re-read whenever keys.json changes, so a rotation reaches every worker process.
    """
    directory = directory or key_directory()
    path = directory / INDEX_FILE
    if not path.exists():
        _ensure_directory(directory)
        _create_first_key(directory)
    stat = path.stat()
    signature = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    with _cache_lock:
        cached = _cache.get(directory)
        if cached is not None and cached[0] == signature:
            return cached[1]
    keyring = _build_keyring(directory, _read_index(directory) or {})
    with _cache_lock:
        _cache[directory] = (signature, keyring)
    return keyring


def signing_key(public_key_multibase: str) -> tuple[KeyRecord, Ed25519PrivateKey] | None:
    """A published key, current or retired, with its private part; None if unknown.

    Only the status list of a retired key is still signed with it: that list's issuer
    must be the issuer of the credentials the key signed.
    """
    keyring = load_keyring()
    record = next(
        (r for r in keyring.records if r.public_key_multibase == public_key_multibase), None
    )
    if record is None:
        return None
    if record == keyring.current:
        return record, keyring.private_key
    return record, _load_private_key(key_directory(), record)


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    fd = os.open(directory / LOCK_FILE, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def rotate_key(directory: Path | None = None) -> tuple[KeyRecord, KeyRecord]:
    """Make a new current key; the old one is retired but kept for verification.

    Returns (new, retired).
    """
    directory = directory or key_directory()
    load_keyring(directory)  # there is always a key to retire
    with _locked(directory):
        index = _read_index(directory) or {}
        name = _write_private_key(directory, Ed25519PrivateKey.generate())
        multibase = name.removesuffix(".pem")
        now = _now_text()
        for entry in index["keys"]:
            if entry["publicKeyMultibase"] == index["current"]:
                entry["retired"] = now
        index["keys"].append(_entry(multibase))
        old_current, index["current"] = index["current"], multibase
        _replace_index(directory, index)
    records = {record.public_key_multibase: record for record in _records(index)}
    return records[multibase], records[old_current]
