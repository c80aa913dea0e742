"""Pages for peers (/centres: join, stop sharing) and coordinators (/centre/...)."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    get_template_attribute,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext, ngettext
from flask_login import current_user
from markupsafe import Markup

from academy.core.content.facts import FACTS
from academy.core.destinations import OFFERED_INVITE_CODE
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.core.forms import show_error
from academy.core.spreadsheets import csv_download
from academy.modules.accounts.models import Role
from academy.modules.accounts.services import role_required
from academy.modules.centres import (
    api_tokens,
    audit_log,
    centre_facts,
    clearance,
    coordinators,
    membership,
    support_contacts,
    tasks,
)
from academy.modules.centres.forms import (
    ActionForm,
    CentreFactsForm,
    JoinForm,
    SupportContactForm,
    TaskForm,
    TokenForm,
)
from academy.modules.centres.models import Centre

bp = Blueprint("centres", __name__)


# --- peers --------------------------------------------------------------------------------


def _render_mine(form: JoinForm, status: int = 200):
    return (
        render_template(
            "centres/mine.html",
            centres=membership.centres_of(current_user),
            form=form,
        ),
        status,
    )


@bp.get("/centres")
@role_required(Role.TRAINEE)
def mine():
    # The code of the centre that invited this trainee, from registration: not retyped.
    return _render_mine(JoinForm(invite_code=session.get(OFFERED_INVITE_CODE)))


@bp.post("/centres/join")
@role_required(Role.TRAINEE)
def join():
    form = JoinForm()
    if form.validate_on_submit():
        try:
            centre = membership.join_centre(current_user, form.invite_code.data, form.consent.data)
        except UserError as error:
            show_error(form, error)
        else:
            db.session.commit()
            session.pop(OFFERED_INVITE_CODE, None)
            flash(
                gettext(
                    "You now share your certification status with %(centre)s.",
                    centre=centre.name,
                ),
                "success",
            )
            return redirect(url_for("centres.mine"))
    return _render_mine(form, 400)


@bp.post("/centres/<id:centre_id>/withdraw")
@role_required(Role.TRAINEE)
def withdraw(centre_id: int):
    if ActionForm().validate_on_submit():
        centre = membership.withdraw_consent(current_user, centre_id)
        db.session.commit()
        flash(
            gettext("You no longer share anything with %(centre)s.", centre=centre.name),
            "success",
        )
    return redirect(url_for("centres.mine"))


# --- coordinators -------------------------------------------------------------------------


def _centre() -> Centre:
    return coordinators.centre_for_coordinator(current_user)


@bp.get("/centre")
@role_required(Role.CENTRE)
def dashboard():
    centre = _centre()
    return render_template(
        "centres/dashboard.html",
        centre=centre,
        invite_code=coordinators.format_invite_code(centre.invite_code),
        roster=membership.roster(centre),
    )


@bp.post("/centre/invite-code")
@role_required(Role.CENTRE)
def regenerate_invite_code():
    centre = _centre()
    if ActionForm().validate_on_submit():
        coordinators.regenerate_invite_code(centre)
        db.session.commit()
        flash(
            gettext("The centre has a new invite code. The old one no longer works."),
            "success",
        )
    return redirect(url_for("centres.dashboard"))


def _task_form(form: TaskForm) -> TaskForm:
    groups = tasks.requirement_groups()
    form.requirements.choices = [(r.value, r.title) for g in groups for r in g.requirements]
    return form


def _render_tasks(centre: Centre, form: TaskForm, status: int = 200):
    return (
        render_template(
            "centres/tasks.html",
            tasks=tasks.tasks_of(centre),
            form=form,
            groups=tasks.requirement_groups(),
        ),
        status,
    )


# Not called ``tasks``: that name is the module of the task services.
@bp.get("/centre/tasks", endpoint="tasks")
@role_required(Role.CENTRE)
def task_list():
    return _render_tasks(_centre(), _task_form(TaskForm()))


@bp.post("/centre/tasks")
@role_required(Role.CENTRE)
def create_task():
    centre = _centre()
    form = _task_form(TaskForm())
    if form.validate_on_submit():
        try:
            task = tasks.save_task(
                centre, form.title.data, form.description.data or "", form.requirements.data
            )
        except UserError as error:
            show_error(form, error)
        else:
            db.session.commit()
            flash(gettext("The task '%(title)s' is saved.", title=task.title), "success")
            return redirect(url_for("centres.tasks"))
    return _render_tasks(centre, form, 400)


def _render_task(task, form: TaskForm, status: int = 200):
    return (
        render_template(
            "centres/task_edit.html",
            task=task,
            form=form,
            groups=tasks.requirement_groups(),
        ),
        status,
    )


@bp.get("/centre/tasks/<id:task_id>")
@role_required(Role.CENTRE)
def edit_task(task_id: int):
    task = tasks.get_task(_centre(), task_id)
    form = _task_form(TaskForm(obj=task))
    form.requirements.data = tasks.task_requirement_values(task)
    return _render_task(task, form)


@bp.post("/centre/tasks/<id:task_id>")
@role_required(Role.CENTRE)
def update_task(task_id: int):
    centre = _centre()
    task = tasks.get_task(centre, task_id)
    form = _task_form(TaskForm())
    if form.validate_on_submit():
        try:
            tasks.save_task(
                centre, form.title.data, form.description.data or "", form.requirements.data, task
            )
        except UserError as error:  # raised before anything is changed
            show_error(form, error)
        else:
            db.session.commit()
            flash(gettext("The task '%(title)s' is saved.", title=task.title), "success")
            return redirect(url_for("centres.tasks"))
    return _render_task(task, form, 400)


@bp.post("/centre/tasks/<id:task_id>/delete")
@role_required(Role.CENTRE)
def delete_task(task_id: int):
    centre = _centre()
    if ActionForm().validate_on_submit():
        title = tasks.delete_task(centre, task_id)
        db.session.commit()
        flash(gettext("The task '%(title)s' is deleted.", title=title), "success")
    return redirect(url_for("centres.tasks"))


@bp.get("/centre/matrix")
@role_required(Role.CENTRE)
def matrix():
    page = request.args.get("page", 1, type=int)
    matrix = clearance.coordinator_matrix(current_user, page)
    return render_template("centres/matrix.html", matrix=matrix, rows=_matrix_rows(matrix))


def _matrix_rows(matrix: clearance.Matrix) -> list[tuple[clearance.PeerClearance, Markup]]:
    """Each peer of the page with their cells as HTML.

    The cell partial is rendered once per distinct look (status and note), not for each
    of the page's hundreds of cells: most cells look like many others, and rendering one
    through Jinja costs several times more than looking it up.
    """
    render_cell = get_template_attribute("centres/_matrix_cell.html", "cell")
    looks: dict[tuple[str, str], str] = {}
    rows = []
    for peer in matrix.peers:
        cells = []
        for cell in peer.cells.values():
            look = (cell.status, cell.note)
            html = looks.get(look)
            if html is None:
                html = looks[look] = render_cell(cell)
            cells.append(html)
        # Safe: every part is Markup the cell partial rendered with autoescaping. The join
        # of plain strings costs 0.01 ms a page; Markup.join, which escapes each part again
        # through a Python call, 0.2 ms (7 % of the page).
        joined = "".join(cells)
        row_html = Markup(joined)  # noqa: S704  # nosec B704
        rows.append((peer, row_html))
    return rows


@bp.get("/centre/matrix.csv")
@role_required(Role.CENTRE)
def matrix_csv():
    text = clearance.matrix_csv(clearance.coordinator_matrix(current_user))
    return csv_download(text, "clearance-matrix.csv")


@bp.get("/centre/peers/<id:user_id>")
@role_required(Role.CENTRE)
def peer(user_id: int):
    return render_template("centres/peer.html", detail=clearance.peer_detail(_centre(), user_id))


@bp.get("/centre/log")
@role_required(Role.CENTRE)
def log():
    page = request.args.get("page", 1, type=int)
    return render_template("centres/log.html", log=audit_log.verification_log(_centre(), page))


def _render_tokens(centre: Centre, form: TokenForm, new_token: str | None = None, status=200):
    return (
        render_template(
            "centres/tokens.html",
            tokens=api_tokens.tokens_of(centre),
            form=form,
            new_token=new_token,
        ),
        status,
    )


@bp.get("/centre/tokens")
@role_required(Role.CENTRE)
def tokens():
    return _render_tokens(_centre(), TokenForm())


@bp.post("/centre/tokens")
@role_required(Role.CENTRE)
def create_token():
    centre = _centre()
    form = TokenForm()
    if form.validate_on_submit():
        try:
            _, plain = api_tokens.create_token(centre, form.name.data, current_user)
        except UserError as error:
            show_error(form, error)
        else:
            db.session.commit()
            # Shown on this response only: it is stored hashed and cannot be shown again.
            return _render_tokens(centre, TokenForm(formdata=None), new_token=plain, status=201)
    return _render_tokens(centre, form, status=400)


@bp.post("/centre/tokens/<id:token_id>/revoke")
@role_required(Role.CENTRE)
def revoke_token(token_id: int):
    centre = _centre()
    if ActionForm().validate_on_submit():
        token = api_tokens.revoke_token(centre, token_id)
        db.session.commit()
        flash(
            gettext("The token '%(name)s' is revoked and no longer works.", name=token.name),
            "success",
        )
    return redirect(url_for("centres.tokens"))


@bp.post("/centre/support")
@role_required(Role.CENTRE)
def support_contact():
    """The support contact shown on the lesson pages of the centre's peers."""
    centre = _centre()
    form = SupportContactForm()
    if form.validate_on_submit():
        try:
            support_contacts.set_support_contact(centre, form.support_contact.data)
        except UserError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(
                gettext("The support contact is saved. Your peers see it on every lesson."),
                "success",
            )
    return redirect(url_for("centres.dashboard"))


def _render_facts(form: CentreFactsForm, status: int = 200):
    named = centre_facts.lessons_naming()
    for fact in FACTS:  # what to write, and how much it is used
        count = named[fact.name]
        lessons = ngettext("Named in %(num)d lesson.", "Named in %(num)d lessons.", count)
        form[fact.name].description = f"{fact.hint} {lessons}"
    return render_template("centres/facts.html", form=form, facts=FACTS), status


@bp.get("/centre/facts")
@role_required(Role.CENTRE)
def facts():
    """The local facts the centre's peers see in their lessons."""
    form = CentreFactsForm(formdata=None, data=centre_facts.facts_of(_centre()))
    return _render_facts(form)


@bp.post("/centre/facts")
@role_required(Role.CENTRE)
def save_facts():
    centre = _centre()
    form = CentreFactsForm()
    if form.validate_on_submit():
        try:
            centre_facts.save_facts(centre, {fact.name: form[fact.name].data for fact in FACTS})
        except UserError as error:  # raised before anything is changed
            show_error(form, error)
        else:
            db.session.commit()
            flash(
                gettext("The facts are saved. Your peers see them in their lessons."),
                "success",
            )
            return redirect(url_for("centres.facts"))
    return _render_facts(form, 400)
