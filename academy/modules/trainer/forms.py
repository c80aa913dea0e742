"""The trainer's forms: revoke, suspend, record an observed session, search."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from academy.core.content.model import Scenario
from academy.core.dates import local_today
from academy.modules.certificates.services import MAX_REASON_LENGTH
from academy.modules.practice import services as practice


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


class ObservationForm(FlaskForm):
    """The date and the note; ``observation_form`` adds one field per criterion."""

    observed_on = DateField(
        "Date of the session",
        validators=[DataRequired("Please give the date of the session (year-month-day).")],
        default=local_today,  # today where the session took place, not in UTC
    )
    note = TextAreaField(
        "Private note (optional)",
        validators=[Optional(), Length(max=practice.MAX_NOTE_LENGTH)],
        description=(
            "Only trainers and admins see this note; centres never do. The trainee reads it "
            "in their own data download (their right of access): write it so they may."
        ),
    )
    criterion_names: tuple[str, ...] = ()

    def results(self) -> dict[str, str]:
        """Criterion id -> "met" or "not_yet", as the service takes them."""
        return {
            name.removeprefix(CRITERION_PREFIX): self[name].data for name in self.criterion_names
        }


CRITERION_PREFIX = "criterion-"  # a hyphen: never the name of a field or attribute
RESULT_CHOICES = [SelectChoice(practice.MET, "Met"), SelectChoice(practice.NOT_YET, "Not yet")]


def observation_form(scenario: Scenario) -> ObservationForm:
    """The checklist of ``scenario`` as a form: each criterion met or not yet, no default."""

    class ChecklistForm(ObservationForm):
        criterion_names = tuple(CRITERION_PREFIX + c.id for c in scenario.criteria)

    for criterion in scenario.criteria:
        field = RadioField(
            criterion.text,
            choices=RESULT_CHOICES,
            invalid_choice_message="Please mark this criterion: met or not yet.",
        )
        setattr(ChecklistForm, CRITERION_PREFIX + criterion.id, field)
    return ChecklistForm()


class TraineeSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    q = StringField("Sign-in or display name", validators=[Optional(), Length(max=254)])
