"""The trainer's forms: revoke, suspend, attest, search."""

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from academy.modules.certificates.services import MAX_REASON_LENGTH


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        "Reason",
        validators=[DataRequired(), Length(max=MAX_REASON_LENGTH)],
        description="Only trainers and admins see the reason. Verification says only 'revoked'.",
    )


class SuspendForm(FlaskForm):
    note = TextAreaField(
        "Private note",
        validators=[Optional(), Length(max=MAX_REASON_LENGTH)],
        description="Only trainers and admins see this note. Verification says only 'paused'.",
    )


class AttestationForm(FlaskForm):
    requirement = SelectField("Practical requirement", validators=[DataRequired()])
    attested_on = DateField("Date", validators=[DataRequired()])
    note = TextAreaField("Note", validators=[Optional(), Length(max=MAX_REASON_LENGTH)])


class TraineeSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField("Sign-in or display name", validators=[Optional(), Length(max=254)])
