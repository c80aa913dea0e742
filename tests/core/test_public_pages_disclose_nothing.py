"""No public page says what the people who study here have lived through.

Anyone can open the pages reachable without signing in, and a certificate travels to third
parties. A word there that names the situation of the programme's people would tell every
reader — an employer, a neighbour, a trafficker — that a certificate's holder, or a person
seen on the site, is one of them. So every public answer is scanned: every GET route
signed out (with URL parameters from a seeded database), /verify for a real certificate,
the API's JSON, the issuer profile and the credential JSON, error pages, /safety,
/privacy, sign-in and registration; and the titles a certificate can carry (module and
path titles of the real curriculum), because /verify and the credential show them.

The words, and why each: the crime and its forms (trafficking, exploitation, forced
labour, prostitution, slavery, smuggling); what it makes of a person in others' eyes
(victim, survivor, rescued); the harm named as the person's (abuse, trauma: "trauma" on a
certificate of *peer* support says the holder's peers, and so the holder, carry it); and
the residence status often tied to it (asylum, refugee). Left out on purpose: "peer",
"support", "counselling" and "crisis", which describe the training itself and many other
fields, and "safety", the name of the page on leaving quickly.
"""

from __future__ import annotations

import json
import re

import pytest

from academy.core.config import PROJECT_ROOT
from academy.core.content.loader import load_catalogue
from tests.conftest import build_config
from tests.core.test_no_external_requests import World, get_urls, world  # noqa: F401

DISCLOSING = re.compile(
    r"\b(traffick\w*|exploit\w*|forced\s+(?:labou?r|prostitution|marriage)|prostitut\w*"
    r"|slave\w*|slavery|enslave\w*|smuggl\w*|victim\w*|surviv\w*|rescued"
    r"|abus\w*|trauma\w*|asylum|refugee\w*)",
    re.IGNORECASE,
)


@pytest.fixture
def app_config(tmp_path) -> dict:
    return build_config(tmp_path, RATELIMIT_ENABLED=False, ACADEMY_OPEN_REGISTRATION=True)


def readable_text(response) -> str:
    """What a reader of this answer sees: HTML without tags, JSON's strings, plain text."""
    body = response.get_data(as_text=True)
    if response.mimetype == "application/json" or response.mimetype.endswith("+json"):
        return " ".join(str(value) for value in _json_strings(json.loads(body)))
    if response.mimetype == "text/html":
        return re.sub(r"<[^>]+>", " ", body)
    return body if response.mimetype.startswith("text/") else ""


def _json_strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in [str(key), *_json_strings(item)]]
    if isinstance(value, list):
        return [s for item in value for s in _json_strings(item)]
    return [str(value)]


@pytest.mark.parametrize(
    "text",
    ["trained survivors", "Human Trafficking", "Trauma-informed", "victims' rights", "abused"],
)
def test_the_word_list_catches_disclosing_words(text):
    assert DISCLOSING.search(text)


def test_the_word_list_leaves_the_training_itself_alone():
    assert not DISCLOSING.search("Peer support, counselling centres, a crisis, staying safe")


def public_urls(app, seeded: World) -> list[str]:
    code = seeded.values["code"]
    return [url for _, url in get_urls(app, seeded.values)] + [
        f"/verify?code={code}",
        "/no-such-page",
        f"/register/{seeded.values['token']}x",  # an unknown invitation
        f"/certificates/{code}x/credential.json",
    ]


def test_no_public_page_names_the_situation_of_its_users(app, client, world):  # noqa: F811
    problems = []
    scanned = 0
    for url in public_urls(app, world):
        with client.get(url) as response:
            found = DISCLOSING.findall(readable_text(response))
            problems += [f"{url} ({response.status_code}): {word}" for word in found]
            scanned += response.status_code == 200
    api = client.get(f"/api/v1/certificates/{world.values['code']}")
    problems += [f"API: {word}" for word in DISCLOSING.findall(readable_text(api))]
    assert problems == []
    assert scanned > 10  # the walk reached real pages, not only redirects to sign-in


def test_no_certificate_title_of_the_curriculum_names_it():
    """Module and path titles are printed on certificates and shown by /verify; their slugs
    are in the public credential's achievement id."""
    catalogue = load_catalogue(PROJECT_ROOT / "content")
    titles = [m.title for m in catalogue.modules.values()] + list(catalogue.modules)
    titles += [p.title for p in catalogue.paths.values()] + list(catalogue.paths)
    assert len(titles) > 5
    assert [title for title in titles if DISCLOSING.search(title)] == []
