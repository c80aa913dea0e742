"""Markdown is rendered when the content loads, never while a request is answered."""

from __future__ import annotations

import markdown
import nh3
import pytest

from academy.core.catalogue import current_catalogue
from academy.core.clock import utcnow
from academy.core.extensions import db
from academy.modules.accounts.models import Role
from academy.modules.progress.models import ModuleProgress


@pytest.fixture
def no_rendering(monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("Markdown rendered during a request")

    monkeypatch.setattr(markdown.Markdown, "convert", refuse)
    monkeypatch.setattr(nh3.Cleaner, "clean", refuse, raising=False)


def test_pages_with_content_render_no_markdown(app, client, auth, make_user, no_rendering):
    trainer = make_user(Role.TRAINER)  # sees every module, locked or not
    auth.sign_in(trainer)
    for slug in ("basics", "advanced"):
        # past the content warning, so the lesson itself is shown
        db.session.add(
            ModuleProgress(user_id=trainer.id, module_slug=slug, warning_accepted_at=utcnow())
        )
    db.session.commit()
    pages = ["/modules", "/certificates"]
    for module in current_catalogue().modules.values():
        pages.append(f"/modules/{module.slug}")
        pages += [f"/modules/{module.slug}/lessons/{lesson.slug}" for lesson in module.lessons]
        pages.append(f"/modules/{module.slug}/quiz")
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, (page, response.status_code)
