"""Forms, one way for every feature: the CSRF token every form carries, and a service's
refusal shown on the form it came from."""

from __future__ import annotations

from flask import Flask
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from academy.core.errors import UserError


def show_error(form: FlaskForm, error: UserError, default_field: str | None = None) -> None:
    """Put the message next to the field it names, else next to ``default_field``, else
    above the form (``form.form_errors``, which every form template shows)."""
    name = error.field if error.field in form else default_field
    if name is None:
        form.form_errors.append(str(error))
        return
    field = form[name]
    field.errors = [*field.errors, str(error)]


def csrf_field() -> Markup:
    """The CSRF token as a hidden input, written ``{{ csrf_field() }}`` in every form. No
    id: a page may hold many forms. A global function rather than a macro in
    ``_forms.html``: a macro imported into every page (the sign-out form is on all of
    them) cost about a tenth of a page's CPU time."""
    return Markup('<input type="hidden" name="csrf_token" value="%s">') % escape(generate_csrf())


def init_forms(app: Flask) -> None:
    app.jinja_env.globals["csrf_field"] = csrf_field
