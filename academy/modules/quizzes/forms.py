from flask_wtf import FlaskForm


class QuizForm(FlaskForm):
    """The CSRF token of a quiz sheet; the answers are read and checked by the service,
    because the questions come from content, not from a fixed form class."""
