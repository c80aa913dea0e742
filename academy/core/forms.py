"""Showing a service's refusal on the form it came from: one way, for every feature."""

from __future__ import annotations

from flask_wtf import FlaskForm

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
