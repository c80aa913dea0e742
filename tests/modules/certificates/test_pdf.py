"""The certificate PDF: its content, scripts, QR code, status notices and who may download it."""

from __future__ import annotations

import io
import logging
import unicodedata
from datetime import timedelta

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from academy.core import clock
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.certificates import pdf, rules, services
from academy.modules.certificates.codes import format_code
from academy.modules.certificates.models import Certificate

BASE_URL = "https://academy.example.org"


def issue(user, title: str = "Basics") -> Certificate:
    certificate = services.issue_or_renew(user, "module", "basics", title, "1.0", 12)
    db.session.commit()
    return certificate


def download_path(certificate: Certificate) -> str:
    return f"/certificates/{format_code(certificate.code)}/certificate.pdf"


def verify_url(certificate: Certificate) -> str:
    return f"{BASE_URL}/verify/{format_code(certificate.code)}"


def render(certificate: Certificate) -> bytes:
    standing = services.certificate_standing(certificate)
    return pdf.render_certificate_pdf(certificate, standing, verify_url(certificate))


def page_text(data: bytes) -> str:
    return unicodedata.normalize("NFC", PdfReader(io.BytesIO(data)).pages[0].extract_text())


def embedded_fonts(data: bytes) -> set[str]:
    fonts = PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/Font"].values()
    return {str(font.get_object()["/BaseFont"]).split("+", 1)[-1] for font in fonts}


def decode_qr(image: Image.Image) -> list[str]:
    framed = Image.new("L", (image.width + 80, image.height + 80), 255)  # the quiet zone
    framed.paste(image.convert("L"), (40, 40))
    return [result.text for result in zxingcpp.read_barcodes(framed)]


@pytest.fixture
def signed_in(app, auth, trainee):
    app.config["ACADEMY_BASE_URL"] = BASE_URL
    auth.sign_in(trainee)
    return trainee


# --- the download -------------------------------------------------------------------------


def test_the_holder_downloads_the_certificate_as_a_pdf_attachment(client, signed_in):
    certificate = issue(signed_in)
    code = format_code(certificate.code)
    response = client.get(download_path(certificate))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert (
        response.headers["Content-Disposition"] == f'attachment; filename="certificate-{code}.pdf"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    text = page_text(response.data)
    for expected in ("PEER ACADEMY", "Certificate", "Ayo", "Basics", code):
        assert expected in text
    assert "Content version 1.0" in text
    assert f"Check this certificate at {verify_url(certificate)}" in text


def test_the_code_may_be_typed_without_dashes_or_in_lower_case(client, signed_in):
    certificate = issue(signed_in)
    response = client.get(f"/certificates/{certificate.code.lower()}/certificate.pdf")
    assert response.status_code == 200


@pytest.mark.parametrize("configured", [None, ""])
def test_without_a_base_url_the_request_host_is_used(app, client, signed_in, configured):
    app.config["ACADEMY_BASE_URL"] = configured
    certificate = issue(signed_in)
    text = page_text(client.get(download_path(certificate)).data)
    assert f"at http://localhost/verify/{format_code(certificate.code)}" in text


def test_another_user_gets_404(client, auth, trainee, make_user):
    certificate = issue(trainee)
    auth.sign_in(make_user(Role.TRAINEE))
    assert client.get(download_path(certificate)).status_code == 404


def test_an_unknown_or_malformed_code_is_404(client, signed_in):
    assert client.get("/certificates/ABCD-EFGH-JKMN-PQRS-TVWX/certificate.pdf").status_code == 404
    assert client.get("/certificates/not-a-code/certificate.pdf").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, trainee):
    certificate = issue(trainee)
    response = client.get(download_path(certificate))
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_the_certificates_page_links_each_pdf(client, signed_in):
    certificate = issue(signed_in)
    page = client.get("/certificates").get_data(as_text=True)
    assert download_path(certificate) in page
    assert "Download PDF" in page


# --- the QR code --------------------------------------------------------------------------


def test_the_qr_code_holds_the_verify_url(app):
    url = f"{BASE_URL}/verify/ABCD-EFGH-JKMN-PQRS-TVWX"
    assert decode_qr(Image.open(io.BytesIO(pdf.qr_png(url)))) == [url]


def test_the_verify_url_in_the_qr_code_opens_the_public_check(client, signed_in):
    certificate = issue(signed_in)
    data = client.get(download_path(certificate)).data
    images = PdfReader(io.BytesIO(data)).pages[0].images
    assert [decode_qr(image.image) for image in images] == [[verify_url(certificate)]]
    check = client.get(verify_url(certificate).removeprefix(BASE_URL), follow_redirects=True)
    assert check.status_code == 200
    assert "Ayo" in check.get_data(as_text=True)


# --- status -------------------------------------------------------------------------------


def test_an_expired_certificate_says_so(trainee):
    certificate = issue(trainee)
    clock.travel(timedelta(days=400))
    text = page_text(render(certificate))
    expired_on = certificate.expires_at.date().isoformat()
    assert f"EXPIRED on {expired_on}" in text
    assert "no longer valid" in text


def test_a_revoked_certificate_says_so(trainee, make_user):
    certificate = issue(trainee)
    services.revoke_certificate(certificate, "test", by=make_user(Role.TRAINER))
    db.session.commit()
    assert f"REVOKED on {certificate.revoked_at.date().isoformat()}" in page_text(
        render(certificate)
    )


def test_a_paused_holders_certificate_says_so(trainee):
    certificate = issue(trainee)
    services.pause_self(trainee)
    db.session.commit()
    assert "PAUSED" in page_text(render(certificate))


def test_a_valid_certificate_has_no_notice(trainee):
    text = page_text(render(issue(trainee)))
    assert not any(word in text for word in ("EXPIRED", "REVOKED", "PAUSED"))


# --- wording ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", rules.STATES)
def test_the_wording_names_the_skill_and_nothing_about_the_people_served(trainee, status):
    certificate = issue(trainee, "Peer advisor \N{EM DASH} core training")
    standing = rules.Standing(status, ends_at=certificate.expires_at)
    data = pdf.render_certificate_pdf(certificate, standing, verify_url(certificate))
    text = page_text(data).lower()
    assert "peer advisor \N{EM DASH} core training" in text
    for word in ("client", "survivor", "counsel", "traffick", "victim", "refugee", "therap"):
        assert word not in text
    assert b"/Author" not in data


# --- scripts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("Amira \N{ARABIC LETTER ALEF WITH HAMZA ABOVE}ميرة", "NotoNaskhArabic"),
        ("مریم رضایی", "NotoNaskhArabic"),  # Persian
        ("ሰላም ተስፋይ", "NotoSansEthiopic"),  # Tigrinya
        ("李娜", "WenQuanYiMicroHei"),
        ("さくら", "WenQuanYiMicroHei"),
        ("김민지", "WenQuanYiMicroHei"),
        ("प्रिया", "NotoSansDevanagari"),
        ("প্রিয়া", "NotoSansBengali"),
        ("สมชาย", "NotoSansThai"),
        ("שרה", "NotoSansHebrew"),
        ("Олена", None),
        ("Nguyễn Thị Lan", None),
        ("Ζωή", None),
        ("Ալինա", None),
        ("ნინო", None),
    ],
)
def test_a_display_name_in_any_script_renders(make_user, caplog, name, fallback):
    certificate = issue(make_user(display_name=name))
    with caplog.at_level(logging.WARNING):
        data = render(certificate)
    assert not [r for r in caplog.records if "missing" in r.getMessage()]
    fonts = embedded_fonts(data)
    assert any(font.startswith("DejaVuSans") for font in fonts)
    if fallback:
        assert any(font.startswith(fallback) for font in fonts)
    else:
        assert all(font.startswith("DejaVuSans") for font in fonts)
    text = page_text(data)
    assert all(char in text for char in unicodedata.normalize("NFC", name) if not char.isspace())


def test_a_latin_name_loads_no_fallback_font():
    assert pdf.fallbacks_needed("Ayo Nguyễn Ζωή Олена") == []
    assert [f.name for f in pdf.fallbacks_needed("李娜 أميرة")] == [
        "NotoNaskhArabic",
        "WenQuanYiMicroHei",
    ]


def test_characters_no_font_has_are_left_out_or_marked_and_never_logged(make_user, caplog):
    tibetan = "\N{TIBETAN LETTER KA}"
    assert pdf.printable(f"Lena \N{SUNFLOWER} {tibetan}") == f"Lena {pdf.REPLACEMENT}"
    assert pdf.printable("\N{SUNFLOWER}") == pdf.REPLACEMENT
    certificate = issue(make_user(display_name=f"Lena \N{SUNFLOWER} {tibetan}"))
    with caplog.at_level(logging.DEBUG):
        text = page_text(render(certificate))
    assert "Lena" in text
    assert not [r for r in caplog.records if "Lena" in r.getMessage() or tibetan in r.getMessage()]


def test_a_long_name_and_title_fit_on_the_page(make_user):
    name = "Maria-Alexandra Konstantinopoulou-Wiśniewska de la Fuente y Hernández"
    title = "A very long module title " * 7
    certificate = issue(make_user(display_name=name), title.strip())
    reader = PdfReader(io.BytesIO(render(certificate)))
    assert len(reader.pages) == 1
    assert "Konstantinopoulou" in reader.pages[0].extract_text()


def test_font_coverage_is_read_once_per_process():
    pdf.fallbacks_needed("李娜")
    misses = pdf.font_coverage.cache_info().misses
    for _ in range(3):
        pdf.fallbacks_needed("李娜 أميرة ሰላም प्रिया")
    assert pdf.font_coverage.cache_info().misses == misses


def test_a_trailing_slash_in_the_base_url_is_ignored(app, client, signed_in):
    app.config["ACADEMY_BASE_URL"] = BASE_URL + "/"
    certificate = issue(signed_in)
    text = page_text(client.get(download_path(certificate)).data)
    assert f"Check this certificate at {verify_url(certificate)}" in text
