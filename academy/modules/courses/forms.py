from flask_wtf import FlaskForm
from wtforms import HiddenField


class ContentWarningForm(FlaskForm):
    """The choice to continue past a module's content warning."""

    # Where to go next: a lesson slug of the module, or "quiz". Checked against the module.
    then = HiddenField()
