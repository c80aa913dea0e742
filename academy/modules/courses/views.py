from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from academy.core import centre_facts, quiz_waits, renewals, support
from academy.core.content_language import reader_language
from academy.core.destinations import MODULE_QUIZ, destination_url
from academy.core.extensions import db
from academy.modules.courses import services
from academy.modules.courses.forms import ContentWarningForm
from academy.modules.progress import services as progress

bp = Blueprint("courses", __name__)

# Sent by the page script that saves a module for offline reading (static/js/offline.js):
# fetching every lesson is not the trainee opening them, so their place stays where it was.
OFFLINE_COPY_HEADER = "X-Academy-Offline-Copy"


@bp.get("/")
def home():
    if current_user.is_authenticated:
        return redirect(url_for("courses.catalogue"))
    return render_template("courses/home.html")


@bp.get("/modules")
@login_required
def catalogue():
    return render_template(
        "courses/catalogue.html",
        entries=services.catalogue_entries(current_user),
        certificates=renewals.module_certificates(current_user.id),
    )


@bp.get("/modules/<slug>")
@login_required
def module(slug: str):
    entry = services.module_entry(current_user, slug)
    wait = None if entry.locked else quiz_waits.quiz_wait(current_user.id, entry.module)
    # In the reader's language, file by file; progress and waits keep to the source's
    # slugs and ids, which every language shares.
    shown = entry.module.in_language(reader_language())
    return render_template(
        "courses/module.html",
        entry=entry,
        module=shown,
        quiz_wait_now=wait,
        certificate=renewals.module_certificates(current_user.id).get(slug),
    )


@bp.get("/modules/<slug>/lessons/<lesson_slug>")
@login_required
def lesson(slug: str, lesson_slug: str):
    entry = services.module_entry(current_user, slug)
    shown = entry.module.in_language(reader_language())
    lesson = services.get_lesson(shown, lesson_slug)
    if entry.locked:
        flash(
            gettext("This module opens when you have completed the modules it builds on."),
            "info",
        )
        return redirect(url_for("courses.module", slug=slug))
    if entry.warning_pending:
        return _render_warning(entry, then=lesson.slug)
    copying = request.headers.get(OFFLINE_COPY_HEADER) == "1"
    if not copying and progress.record_place(current_user.id, entry.status, lesson):
        db.session.commit()
    previous, following = services.neighbours(shown, lesson)
    return render_template(
        "courses/lesson.html",
        module=shown,
        lesson=lesson,
        lesson_html=centre_facts.lesson_html(lesson, current_user.id),
        studied=lesson.slug in entry.status.studied,
        previous=previous,
        following=following,
        support=support.support_for(current_user.id),
    )


@bp.post("/modules/<slug>/lessons/<lesson_slug>/studied")
@login_required
def mark_studied(slug: str, lesson_slug: str):
    entry = services.module_entry(current_user, slug)
    lesson = services.get_lesson(entry.module, lesson_slug)
    if entry.locked or entry.warning_pending:
        return redirect(url_for("courses.module", slug=slug))
    progress.mark_lesson_studied(current_user.id, entry.module, lesson)
    db.session.commit()
    _, following = services.neighbours(entry.module, lesson)
    if following is not None:
        return redirect(url_for("courses.lesson", slug=slug, lesson_slug=following.slug))
    return redirect(url_for("courses.module", slug=slug, _anchor="quiz"))


@bp.post("/modules/<slug>/lessons/<lesson_slug>/pause")
@login_required
def pause(slug: str, lesson_slug: str):
    """Save the place and leave the lesson for the catalogue."""
    entry = services.module_entry(current_user, slug)
    lesson = services.get_lesson(entry.module, lesson_slug)
    if entry.locked or entry.warning_pending:
        return redirect(url_for("courses.module", slug=slug))
    progress.record_lesson_opened(current_user.id, entry.module, lesson)
    db.session.commit()
    flash(gettext("Your place is saved. Come back whenever you are ready."), "success")
    return redirect(url_for("courses.catalogue"))


# --- content warnings ---------------------------------------------------------------------


def _render_warning(entry: services.CatalogueEntry, then: str | None):
    return render_template(
        "courses/content_warning.html",
        module=entry.module.in_language(reader_language()),
        form=ContentWarningForm(then=then or ""),
        support=support.support_for(current_user.id),
    )


def _url_after_warning(entry: services.CatalogueEntry, then: str | None) -> str:
    step = services.step_after_warning(entry, then)
    if step == services.QUIZ_STEP:
        return destination_url(MODULE_QUIZ, slug=entry.module.slug)
    if step is None:
        return url_for("courses.module", slug=entry.module.slug)
    return url_for("courses.lesson", slug=entry.module.slug, lesson_slug=step.slug)


@bp.get("/modules/<slug>/content-warning")
@login_required
def content_warning(slug: str):
    """The warning on its own page, e.g. before the quiz (``?then=quiz``)."""
    entry = services.module_entry(current_user, slug)
    then = request.args.get("then")
    if entry.locked or not entry.warning_pending:
        return redirect(_url_after_warning(entry, then))
    return _render_warning(entry, then)


@bp.post("/modules/<slug>/content-warning")
@login_required
def accept_warning(slug: str):
    entry = services.module_entry(current_user, slug)
    form = ContentWarningForm()
    if entry.locked or not form.validate_on_submit():
        return redirect(url_for("courses.module", slug=slug))
    progress.accept_content_warning(current_user.id, entry.module)
    db.session.commit()
    return redirect(_url_after_warning(entry, form.then.data))


@bp.get("/take-a-break")
@login_required
def take_break():
    flash(
        gettext(
            "Take all the time you need. Your modules will wait for you, "
            "and you can choose another one at any time."
        ),
        "info",
    )
    return redirect(url_for("courses.catalogue"))
