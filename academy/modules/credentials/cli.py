"""``academy certificates``: verify a downloaded credential, rotate the signing key."""

from __future__ import annotations

import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

import click
from flask.cli import AppGroup

from academy.modules.credentials import keys, status_list, verification

# Named "certificates" for whoever holds one: `academy certificates verify FILE`.
credentials_cli = AppGroup("certificates", help="Signed credentials and their keys.")

FETCH_TIMEOUT_SECONDS = 10
MAX_RESPONSE_BYTES = 4 * 1024 * 1024
WEB_SCHEMES = ("http", "https")


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) only; urllib alone would also follow one to ftp."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme not in WEB_SCHEMES:
            raise urllib.error.URLError("redirected to an address that is not http or https")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_WebOnlyRedirects)


def fetch_url(url: str) -> bytes:
    """GET an http(s) address; nothing else (no file:, no ftp:) is ever opened."""
    if urlsplit(url).scheme not in WEB_SCHEMES:
        raise ValueError("only http and https addresses are fetched")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, headers={"Accept": "application/ld+json, application/json"}
    )
    with _opener.open(request, timeout=FETCH_TIMEOUT_SECONDS) as response:
        body = response.read(MAX_RESPONSE_BYTES + 1)
    if len(body) > MAX_RESPONSE_BYTES:
        raise ValueError("the response is too large")
    return body


def _trusted_keys(source: str | None) -> verification.TrustedKeys:
    """The key set named by --keys (a file or an address), or this installation's own."""
    if source is None:
        trusted = verification.local_trusted_keys()
        if not trusted.key_ids:
            raise click.ClickException(
                f"There are no keys in {keys.key_directory()}. Use --keys with the academy's "
                "/issuer or /.well-known/academy-keys.json (a file or an address)."
            )
        return trusted
    try:
        if urlsplit(source).scheme in WEB_SCHEMES:
            raw = fetch_url(source)
        else:
            raw = Path(source).read_bytes()
        return verification.trusted_keys_from_json(verification.load_json_strictly(raw))
    except (OSError, ValueError) as error:
        raise click.ClickException(f"Cannot read the key set {source}: {error}") from error


def _print_report(report: verification.VerificationReport) -> None:
    what = report.achievement or "credential"
    if report.holder:
        what += f", held by {report.holder}"
    click.echo(f"{'VALID' if report.valid else 'NOT VALID'}: {what}")
    for problem in report.problems:
        click.echo(f"  x {problem}")
    for note in report.notes:
        click.echo(f"  - {note}")


@credentials_cli.command("verify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--keys",
    "keys_source",
    metavar="PATH_OR_URL",
    help="The academy's key set: its /issuer profile or /.well-known/academy-keys.json, "
    "as a file or an http(s) address. Default: this installation's key directory.",
)
@click.option("--offline", is_flag=True, help="Do not fetch the status list (revoked, paused).")
@click.pass_context
def verify_command(ctx: click.Context, file: Path, keys_source: str | None, offline: bool) -> None:
    """Check a downloaded credential: signature, issuer, dates and status. Exit 0 if valid.

    On the server it trusts the keys in the key directory, whatever address the app is
    served on: the issuer is the signing key's did:key, so no ACADEMY_BASE_URL is needed.
    """
    try:
        document = verification.load_json_strictly(file.read_bytes())
    except ValueError as error:
        click.echo(f"NOT VALID: {file} is not well-formed JSON ({error})")
        ctx.exit(1)
    trusted = _trusted_keys(keys_source)
    fetch = None if offline else fetch_url
    report = verification.verify_credential(document, trusted, fetch=fetch)
    _print_report(report)
    ctx.exit(0 if report.valid else 1)


@credentials_cli.command("rotate-key")
def rotate_key_command() -> None:
    """Create a new signing key. The old one is kept so what it signed still verifies."""
    try:
        new, retired = keys.rotate_key()
    except keys.KeyStoreError as error:
        raise click.ClickException(str(error)) from error
    status_list.clear_cache()  # this process; other workers re-sign within their TTL
    click.echo(f"New signing key: {new.id}")
    click.echo(f"Retired, still trusted for verification: {retired.id}")
    click.echo(f"Keys are in {keys.key_directory()}. Back the folder up; never commit it.")
