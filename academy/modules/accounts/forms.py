from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional

from academy.modules.accounts.services import (
    MAX_DISPLAY_NAME_LENGTH,
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
)


def new_password_field(label: str) -> PasswordField:
    """A password being chosen: the length rules, and a hint that says them."""
    return PasswordField(
        label,
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)],
        description=(
            f"At least {MIN_PASSWORD_LENGTH} characters. A few words you can remember work well."
        ),
    )


def confirm_password_field(label: str, password_field: str) -> PasswordField:
    """The chosen password typed again; must equal the field named ``password_field``."""
    return PasswordField(
        label,
        validators=[DataRequired(), EqualTo(password_field, message="The two passwords differ.")],
    )


class SignInForm(FlaskForm):
    username = StringField("Sign-in name", validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        "Password", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = new_password_field("New password")
    confirm_password = confirm_password_field("New password again", "new_password")


class DisplayNameForm(FlaskForm):
    display_name = StringField(
        "Display name",
        validators=[DataRequired(), Length(max=MAX_DISPLAY_NAME_LENGTH)],
        description="Shown on your certificates. It does not need to be your real name.",
    )


class SignOutForm(FlaskForm):
    """Only a CSRF token: sign-out is a POST so other sites cannot trigger it."""


# --- invitations, registration, data rights ------------------------------------------------


class InvitationForm(FlaskForm):
    # Choices are the roles the signed-in person may invite; the service checks again.
    role = SelectField("Role of the new account", choices=[], validate_choice=False)
    days_valid = IntegerField(
        "Valid for (days)",
        default=14,
        validators=[DataRequired(), NumberRange(min=1, max=90)],
        description="The link works once, for this many days.",
    )


class RevokeInvitationForm(FlaskForm):
    """Only a CSRF token."""


class RegistrationForm(FlaskForm):
    # Made up by the app and read from the session, never from the request: a name the
    # person could type would tell them whether it is taken (sign_in_names.py).
    username = StringField(
        "Your sign-in name",
        description="Made up for you, so it says nothing about you. Note it down: you "
        "sign in with it. Nobody else sees it.",
        render_kw={"readonly": True},
    )
    display_name = StringField(
        "Display name",
        validators=[DataRequired(), Length(max=MAX_DISPLAY_NAME_LENGTH)],
        description="Shown on your certificates. It does not need to be your real name.",
    )
    password = new_password_field("Password")
    confirm_password = confirm_password_field("Password again", "password")
    email = StringField(
        "E-mail address (optional)",
        validators=[Optional(), Length(max=254)],
        description="Optional; only stored if you want your trainer to be able to reach you. "
        "We send no e-mail.",
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        "Your password", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )
    confirm = BooleanField(
        "I understand that my account and my data are deleted for good.",
        validators=[DataRequired(message="Please tick the box to confirm.")],
    )


class AdminDeleteAccountForm(FlaskForm):
    confirm = BooleanField(
        "Delete this account and its data for good.",
        validators=[DataRequired(message="Please tick the box to confirm.")],
    )


# --- a way back in: reset links, second-factor resets ---------------------------------------


class ResetLinkForm(FlaskForm):
    """Only a CSRF token: making a link is a POST, shown once in its response."""


class ResetPasswordForm(FlaskForm):
    password = new_password_field("New password")
    confirm_password = confirm_password_field("New password again", "password")


class AccountSearchForm(FlaskForm):
    """A GET search on the admins' accounts page: no CSRF token in the address."""

    class Meta:
        csrf = False

    q = StringField("Sign-in name or display name", validators=[Optional(), Length(max=100)])


class SecondFactorResetForm(FlaskForm):
    confirm = BooleanField(
        "Turn off two-step sign-in for this account.",
        validators=[DataRequired(message="Please tick the box to confirm.")],
    )


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


class EmailForm(FlaskForm):
    email = StringField(
        "E-mail address (optional)",
        validators=[Optional(), Length(max=254)],
        description="Only stored if you want your trainer to be able to reach you. Leave it "
        "empty to remove it. We send no e-mail.",
    )
