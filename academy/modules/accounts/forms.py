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


# --- two-step sign-in ----------------------------------------------------------------------

# Digits only, and the phone's one-time-code keyboard and autofill.
CODE_FIELD_ATTRIBUTES = {"inputmode": "numeric", "pattern": "[0-9 ]*", "maxlength": "9"}


class TwoFactorCodeForm(FlaskForm):
    code = StringField(
        "Code from your app",
        validators=[DataRequired(message="Please type the 6-digit code."), Length(max=16)],
        description="6 digits. A new code appears every 30 seconds.",
        render_kw=CODE_FIELD_ATTRIBUTES,
    )


class TwoFactorBeginForm(FlaskForm):
    """Only a CSRF token: starting the set-up is a POST because it makes a new secret."""


class TwoFactorDisableForm(FlaskForm):
    password = PasswordField(
        "Your password", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )
    code = StringField(
        "Code from your app",
        validators=[DataRequired(message="Please type the 6-digit code."), Length(max=16)],
        render_kw=CODE_FIELD_ATTRIBUTES,
    )
