"""What each surface says about one certificate, read as the people who see it do: the
trainee's card, module page, catalogue and PDF; anyone's /verify and API; the credential's
status list entry; the centre's matrix (docs/certificates.md, "Lifecycle")."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from academy.core.extensions import db
from academy.modules.centres import clearance
from academy.modules.centres.models import Centre, Task
from academy.modules.certificates.codes import format_code
from academy.modules.certificates.models import Certificate
from academy.modules.credentials import documents, status_list
from tests.conftest import PASSWORD
from tests.modules.certificates.test_pdf import page_text


def text_of(page: str) -> str:
    """A page's words without tags, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


@dataclass(frozen=True)
class Surfaces:
    card: str  # the certificate's card on the holder's certificates page
    verify: str  # the public check, text of its result section
    api: dict  # GET /api/v1/certificates/<code>
    pdf: str  # the PDF's text, spaces collapsed (its labels are in capitals)
    status: str  # the message of its entry in the published status list


def card_text(page: str, code: str) -> str:
    cards = page.split('<li class="card">')[1:]
    found = [card.split("</li>")[0] for card in cards if code in card]
    assert len(found) == 1, f"one card with {code}"
    return text_of(found[0])


def read(client, holder, certificate: Certificate) -> Surfaces:
    code = format_code(certificate.code)
    client.post("/sign-in", data={"username": holder.username, "password": PASSWORD})
    card = card_text(client.get("/certificates").text, code)
    pdf = " ".join(page_text(client.get(f"/certificates/{code}/certificate.pdf").data).split())
    credential = client.get(f"/certificates/{code}/credential.json").get_json()
    client.post("/sign-out")
    verify_page = client.get(f"/verify?code={code}").text
    verify = text_of(verify_page.split('<section class="verification')[1].split("</section>")[0])
    api = client.get(f"/api/v1/certificates/{code}").get_json()
    entry = credential["credentialStatus"]
    listed = json.loads(client.get(urlsplit(entry["statusListCredential"]).path).data)
    bits = status_list.decode_list(listed["credentialSubject"]["encodedList"])
    value = status_list.read_status(bits, int(entry["statusListIndex"]), documents.STATUS_SIZE)
    return Surfaces(card, verify, api, pdf, entry["statusMessage"][value]["message"])


def module_page(client, holder, slug: str) -> tuple[str, str]:
    """The module page's certificate notice and the module's catalogue card, as text."""
    client.post("/sign-in", data={"username": holder.username, "password": PASSWORD})
    page = client.get(f"/modules/{slug}").text
    catalogue = client.get("/modules").text
    client.post("/sign-out")
    notice = text_of(page.split("</h1>")[1].split('id="objectives-heading"')[0])
    cards = [c for c in catalogue.split('<li class="card') if f'href="/modules/{slug}"' in c]
    return notice, text_of(cards[0].split("</li>")[0])


def matrix_words(centre: Centre, *tasks: Task) -> list[str]:
    """The matrix cell of the centre's one peer for each task, as the page words it."""
    db.session.expire_all()
    peer = clearance.clearance_matrix(centre).peers[0]
    return [peer.cells[task.id].summary for task in tasks]
