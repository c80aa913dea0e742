"""The PDF in the holder's language, the public check in the verifier's, and the signed
credential in one language (English) whatever the page's (docs/credentials.md)."""

from __future__ import annotations

import json

from academy.core.extensions import db
from academy.modules.certificates.codes import format_code
from tests.modules.certificates.test_pdf import download_path, embedded_fonts, issue, page_text


def test_the_pdf_speaks_the_holders_language(client, auth, trainee):
    trainee.language = "de"
    db.session.commit()
    auth.sign_in(trainee)
    certificate = issue(trainee)

    text = page_text(client.get(download_path(certificate)).data)

    for german in (
        "Zertifikat",
        "Hiermit wird bestätigt, dass",
        "Inhaltsversion 1.0",
        "AUSGESTELLT",
    ):
        assert german in text
    assert certificate.issued_at.strftime("%d.%m.%Y") in text
    assert "Prüfen Sie dieses Zertifikat unter http://localhost/verify/" in text
    assert "This certifies that" not in text


def test_an_arabic_pdf_loads_the_arabic_font_for_its_words(client, auth, trainee):
    trainee.language = "ar"
    db.session.commit()
    auth.sign_in(trainee)
    certificate = issue(trainee)

    data = client.get(download_path(certificate)).data

    assert "NotoNaskhArabic" in embedded_fonts(data)
    assert format_code(certificate.code) in page_text(data)


def test_the_public_check_speaks_the_verifiers_language(client, trainee):
    certificate = issue(trainee)
    code = format_code(certificate.code)

    german = client.get(f"/verify?code={code}", headers={"Accept-Language": "de"}).text
    arabic = client.get(f"/verify?code={code}", headers={"Accept-Language": "ar"}).text

    assert "<h2>Gültiges Zertifikat</h2>" in german and "<dt>Inhaber:in</dt>" in german
    assert 'dir="rtl"' in arabic and "<h2>شهادة صالحة</h2>" in arabic
    assert f'<dd><code class="code">{code}</code></dd>' in arabic  # CSS: left to right


def test_the_signed_credential_is_the_same_in_every_interface_language(client, auth, trainee):
    auth.sign_in(trainee)
    certificate = issue(trainee)
    path = f"/certificates/{format_code(certificate.code)}/credential.json"

    english = client.get(path, headers={"Accept-Language": "en"})
    client.post("/language", data={"language": "de"})
    german = client.get(path, headers={"Accept-Language": "de"})

    assert english.status_code == german.status_code == 200
    document = json.loads(german.data)
    assert document["credentialSubject"]["achievement"]["name"] == "Basics"
    assert json.loads(english.data)["credentialSubject"] == document["credentialSubject"]
