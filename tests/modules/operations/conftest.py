"""Every engine these tests open is closed after the test, so PostgreSQL runs do not
end with "connection deleted while still open" warnings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine


@pytest.fixture
def app_config(app_config: dict) -> Iterator[dict]:
    engines: set[Engine] = set()

    def remember(connection) -> None:
        engines.add(connection.engine)

    event.listen(Engine, "engine_connect", remember)
    yield app_config  # torn down after the app fixture, which depends on this one
    event.remove(Engine, "engine_connect", remember)
    for engine in engines:
        engine.dispose()
