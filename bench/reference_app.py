"""The ceiling for this stack: the smallest Flask app that returns the lesson page.

Same gunicorn settings as the real app (gunicorn.conf.py), same bytes as the signed-in
lesson page (captured by run.py), no database, no session, no template: what is left
is the cost of gunicorn, WSGI and Flask's routing.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response

BODY = Path(os.environ["BENCH_REFERENCE_BODY"]).read_bytes()

app = Flask(__name__)


@app.get("/lesson")
def lesson() -> Response:
    return Response(BODY, mimetype="text/html")
