from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from academy.modules.accounts.services import (
    MAX_DISPLAY_NAME_LENGTH,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
)


class SignInForm(FlaskForm):
    username = StringField("Sign-in name", validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        "Password", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)],
        description=(
            f"At least {MIN_PASSWORD_LENGTH} characters. A few words you can remember work well."
        ),
    )
    confirm_password = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("new_password", message="The two passwords differ.")],
    )


class DisplayNameForm(FlaskForm):
    display_name = StringField(
        "Display name",
        validators=[DataRequired(), Length(max=MAX_DISPLAY_NAME_LENGTH)],
        description="Shown on your certificates. It does not need to be your real name.",
    )


class SignOutForm(FlaskForm):
    """Only a CSRF token: sign-out is a POST so other sites cannot trigger it."""
