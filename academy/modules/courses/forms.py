from flask_wtf import FlaskForm
from wtforms import HiddenField


class MarkStudiedForm(FlaskForm):
    """Only a CSRF token: marking a lesson as studied is a state change."""


class PauseForm(FlaskForm):
    """Only a CSRF token: "Pause here" saves the place before leaving the lesson."""


class ContentWarningForm(FlaskForm):
    """The choice to continue past a module's content warning."""

    # Where to go next: a lesson slug of the module, or "quiz". Checked against the module.
    then = HiddenField()
