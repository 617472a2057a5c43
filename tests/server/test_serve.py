"""`ibok serve`: a fresh demo database, real SMTP delivery and TLS."""

from __future__ import annotations

import datetime as dt
import ipaddress
import shutil
from email import message_from_bytes, policy
from pathlib import Path

import httpx
import pytest

from ibok_tui.backends.base import Unavailable
from ibok_tui.backends.http import HttpBackend
from tests.server.conftest import API
from tests.support.accounts import PASSWORDS
from tests.support.http_server import ServerProcess
from tests.support.mail import smtp_sink


def test_serve_demo_on_an_empty_database(tmp_path: Path) -> None:
    db = tmp_path / "nowa" / "ibok.sqlite"
    with ServerProcess(db, args=["--demo"]) as server:
        document = httpx.get(f"{server.url}{API}/openapi.json").json()
        assert document["info"]["title"] == "iBOK API"
        answer = httpx.post(
            f"{server.url}{API}/auth/login",
            json={"customer_number": "100001", "password": PASSWORDS["100001"]},
        )
        assert answer.status_code == 200 and answer.json()["name"] == "Jan Kowalski"
    assert db.exists()


def test_mail_goes_to_smtp(template_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    with smtp_sink() as (sink, smtp), ServerProcess(db, args=["--smtp", smtp]) as server:
        reset = {"customer_number": "100001", "email": "jan.kowalski@example.pl"}
        answer = httpx.post(f"{server.url}{API}/auth/password-reset", json=reset)
        assert answer.status_code == 202
    assert len(sink.messages) == 1
    envelope = sink.messages[0]
    assert envelope.rcpt_tos == ["jan.kowalski@example.pl"]
    message = message_from_bytes(envelope.content, policy=policy.default)
    assert "hasła" in str(message["Subject"])
    assert "Kod jednorazowy:" in message.get_body(preferencelist=("plain",)).get_content()
    assert not (tmp_path / "outbox").exists()  # nothing went to the outbox folder


def self_signed(folder: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


async def test_tls_with_a_custom_ca(template_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "ibok.sqlite"
    shutil.copyfile(template_db, db)
    cert, key = self_signed(tmp_path)
    args = ["--tls-cert", str(cert), "--tls-key", str(key)]
    with ServerProcess(db, args=args, scheme="https", verify=str(cert)) as server:
        assert server.url.startswith("https://")
        trusted = HttpBackend(server.url, ca_file=str(cert))
        try:
            session = await trusted.login("100001", PASSWORDS["100001"])
            assert session.subject == "100001"
            assert (await trusted.dashboard()).customer.number == "100001"
        finally:
            await trusted.close()
        # verification is on by default: an unknown certificate is refused
        default = HttpBackend(server.url, retries=0)
        try:
            with pytest.raises(Unavailable):
                await default.utility()
        finally:
            await default.close()
        # plain HTTP to the TLS port gets nothing either
        plain = HttpBackend(server.url.replace("https", "http"), retries=0)
        try:
            with pytest.raises(Unavailable):
                await plain.utility()
        finally:
            await plain.close()
