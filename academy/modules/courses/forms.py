from flask_wtf import FlaskForm


class MarkStudiedForm(FlaskForm):
    """Only a CSRF token: marking a lesson as studied is a state change."""
