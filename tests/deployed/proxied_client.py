"""A browser behind the documented nginx, without nginx: each request goes straight to one
app server with the headers nginx sets (docs/deploy.md, section 4) and the headers a
browser sends under the app's ``Referrer-Policy: same-origin``. One client may talk to
several servers, as a browser behind a load balancer does."""

from __future__ import annotations

import http.client
import re
import urllib.parse

from tests.live_servers import AppServer

SITE_HOST = "academy.test"


class ProxiedClient:
    def __init__(self, client_address: str = "203.0.113.7") -> None:
        self.client_address = client_address
        self.cookies: dict[str, str] = {}
        self.csrf_token = ""
        self.last_page = f"https://{SITE_HOST}/"

    def request(
        self, server: AppServer, method: str, path: str, form: dict | None = None
    ) -> tuple[int, dict[str, str], str]:
        headers = {
            "Host": SITE_HOST,
            "X-Forwarded-For": self.client_address,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": SITE_HOST,
            "X-Forwarded-Port": "443",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if method == "POST":
            body = urllib.parse.urlencode((form or {}) | {"csrf_token": self.csrf_token}, True)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{SITE_HOST}",
                "Referer": self.last_page,
            }
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
            answer_headers = {k.lower(): v for k, v in response.getheaders()}
        finally:
            connection.close()
        if method == "GET" and response.status == 200:
            self.last_page = f"https://{SITE_HOST}{path}"
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', text)
            self.csrf_token = token.group(1) if token else self.csrf_token
        return response.status, answer_headers, text

    def get(self, server: AppServer, path: str) -> tuple[int, dict[str, str], str]:
        return self.request(server, "GET", path)

    def post(self, server: AppServer, path: str, form: dict | None = None):
        return self.request(server, "POST", path, form)

    def sign_in(self, server: AppServer, username: str, password: str) -> int:
        self.get(server, "/sign-in")
        status, _, _ = self.post(server, "/sign-in", {"username": username, "password": password})
        return status

    def _keep_cookies(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "expires=thu, 01 jan 1970" in header.lower() or not value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
