from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from academy.core.extensions import db
from academy.modules.courses import services
from academy.modules.courses.forms import MarkStudiedForm
from academy.modules.progress import services as progress

bp = Blueprint("courses", __name__)


@bp.get("/")
def home():
    if current_user.is_authenticated:
        return redirect(url_for("courses.catalogue"))
    return render_template("courses/home.html")


@bp.get("/modules")
@login_required
def catalogue():
    return render_template(
        "courses/catalogue.html", entries=services.catalogue_entries(current_user)
    )


@bp.get("/modules/<slug>")
@login_required
def module(slug: str):
    entry = services.module_entry(current_user, slug)
    return render_template("courses/module.html", entry=entry, module=entry.module)


@bp.get("/modules/<slug>/lessons/<lesson_slug>")
@login_required
def lesson(slug: str, lesson_slug: str):
    entry = services.module_entry(current_user, slug)
    lesson = services.get_lesson(entry.module, lesson_slug)
    if entry.locked:
        flash("This module opens when you have completed the modules it builds on.", "info")
        return redirect(url_for("courses.module", slug=slug))
    progress.record_lesson_opened(current_user.id, entry.module, lesson)
    db.session.commit()
    previous, following = services.neighbours(entry.module, lesson)
    return render_template(
        "courses/lesson.html",
        module=entry.module,
        lesson=lesson,
        studied=lesson.slug in entry.status.studied,
        previous=previous,
        following=following,
        form=MarkStudiedForm(),
    )


@bp.post("/modules/<slug>/lessons/<lesson_slug>/studied")
@login_required
def mark_studied(slug: str, lesson_slug: str):
    entry = services.module_entry(current_user, slug)
    lesson = services.get_lesson(entry.module, lesson_slug)
    if entry.locked or not MarkStudiedForm().validate_on_submit():
        return redirect(url_for("courses.module", slug=slug))
    progress.mark_lesson_studied(current_user.id, entry.module, lesson)
    db.session.commit()
    _, following = services.neighbours(entry.module, lesson)
    if following is not None:
        return redirect(url_for("courses.lesson", slug=slug, lesson_slug=following.slug))
    return redirect(url_for("courses.module", slug=slug, _anchor="quiz"))
