"""Signed credentials (Open Badges 3.0 with an eddsa-jcs-2022 proof) built on the
certificates: the documents, proofs, keys, status lists and their verification, the
public issuer, key and status-list pages, and ``academy certificates verify|rotate-key``."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from academy.core.destinations import SIGNED_CREDENTIAL, register_destination
    from academy.modules.credentials import cli, views

    app.register_blueprint(views.bp)
    app.cli.add_command(cli.credentials_cli)
    # The certificates page links each certificate's credential without naming this feature.
    register_destination(app, SIGNED_CREDENTIAL, "credentials.download")
