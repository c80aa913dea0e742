from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from academy.core.content.facts import FACTS, SHORT, Fact
from academy.modules.centres.api_tokens import MAX_TOKEN_NAME_LENGTH
from academy.modules.centres.tasks import MAX_TASK_DESCRIPTION_LENGTH, MAX_TASK_TITLE_LENGTH


class JoinForm(FlaskForm):
    invite_code = StringField(
        lazy_gettext("Invite code"),
        validators=[
            DataRequired(message=lazy_gettext("Please enter the invite code.")),
            Length(max=40),
        ],
        description=lazy_gettext(
            "Your coordinator gives you this code. Capitals, spaces and dashes do not matter."
        ),
    )
    # The service insists on consent, with its own message; no validator here so the
    # message is the same wherever joining happens.
    consent = BooleanField(
        lazy_gettext(
            "I agree that this centre sees my display name and which certificates I hold, "
            "and whether they are valid, expired or paused. I can stop sharing at any time."
        )
    )


class TaskForm(FlaskForm):
    title = StringField(
        lazy_gettext("Title"),
        validators=[
            DataRequired(message=lazy_gettext("Please give the task a title.")),
            Length(max=MAX_TASK_TITLE_LENGTH),
        ],
    )
    description = TextAreaField(
        lazy_gettext("Description (optional)"), validators=[Length(max=MAX_TASK_DESCRIPTION_LENGTH)]
    )
    # Choices come from the loaded curriculum; the service checks every value against it.
    requirements = SelectMultipleField(
        lazy_gettext("Requirements"), choices=[], validate_choice=False
    )


class TokenForm(FlaskForm):
    name = StringField(
        lazy_gettext("Name of the token"),
        validators=[
            DataRequired(message=lazy_gettext("Please name the token.")),
            Length(max=MAX_TOKEN_NAME_LENGTH),
        ],
        description=lazy_gettext(
            "For example the system that will use it, so you can tell tokens apart."
        ),
    )


class ActionForm(FlaskForm):
    """Only a CSRF token: stop sharing, new invite code, delete a task, revoke a token."""


class SupportContactForm(FlaskForm):
    # The service checks the length, with its own message.
    support_contact = TextAreaField(
        lazy_gettext("Support contact for your peers"),
        description=lazy_gettext(
            "Shown on every lesson page of the peers who share with your centre: for "
            "example a name, when to call and a phone number. Leave it empty to show only the "
            "general advice."
        ),
    )


def _fact_field(fact: Fact) -> StringField:
    """A fact's field, named as the fact; the service checks the length, with its own
    message, and joins line breaks, so a longer rule only gets a bigger box."""
    if fact.max_length > SHORT:
        return TextAreaField(
            fact.label, description=fact.hint, render_kw={"maxlength": fact.max_length, "rows": 3}
        )
    return StringField(fact.label, description=fact.hint, render_kw={"maxlength": fact.max_length})


# One field per fact of academy.core.content.facts, in the list's order.
CentreFactsForm = type(
    "CentreFactsForm", (FlaskForm,), {fact.name: _fact_field(fact) for fact in FACTS}
)
