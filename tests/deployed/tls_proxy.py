"""nginx with TLS in front of app servers, configured as docs/deploy.md describes, with a
self-signed certificate made for the test."""

from __future__ import annotations

import datetime
import ipaddress
import subprocess
import time
import urllib.request
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from academy.core.config import PROJECT_ROOT
from tests.live_servers import free_port

TEMPLATE = Path(__file__).with_name("nginx.conf.template")


def write_self_signed_certificate(folder: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    (folder / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


class TlsProxy:
    def __init__(self, nginx: str, folder: Path, app_ports: list[int]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        write_self_signed_certificate(folder)
        self.port = free_port()
        upstreams = " ".join(f"server 127.0.0.1:{port};" for port in app_ports)
        config = TEMPLATE.read_text().format(
            prefix=folder, port=self.port, upstreams=upstreams, static=PROJECT_ROOT / "static"
        )
        (folder / "nginx.conf").write_text(config)
        self.folder = folder
        self.process = subprocess.Popen(
            [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait_ready()

    @property
    def url(self) -> str:
        return f"https://localhost:{self.port}"

    def _wait_ready(self) -> None:
        import ssl

        context = ssl.create_default_context(cafile=str(self.folder / "cert.pem"))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", context=context, timeout=5):
                    return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        log = self.folder / "error.log"
        raise AssertionError(f"nginx did not start: {log.read_text() if log.exists() else ''}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
