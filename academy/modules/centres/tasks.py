"""A centre's tasks and the certificates each one requires (a path certificate includes
the path's observed practice)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import gettext, lazy_gettext
from sqlalchemy import delete, func, select
from werkzeug.exceptions import NotFound

from academy.core.catalogue import current_catalogue
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.modules.centres import queries
from academy.modules.centres.models import Centre, Task, TaskRequirement

MAX_TASK_TITLE_LENGTH = 200
MAX_TASK_DESCRIPTION_LENGTH = 2000
REQUIREMENT_KINDS = ("module", "path")


@dataclass(frozen=True)
class Requirement:
    kind: str  # "module" or "path"
    ref: str
    title: str

    @property
    def value(self) -> str:
        """How a requirement travels in a form: ``"<kind>:<ref>"``."""
        return f"{self.kind}:{self.ref}"


@dataclass(frozen=True)
class RequirementGroup:
    label: str
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class TaskSummary:
    """A task as the clearance matrix, a peer's page and the API show it."""

    id: int
    title: str
    description: str
    requirements: tuple[Requirement, ...]


def requirement_title(kind: str, ref: str) -> str:
    """The title from the loaded catalogue; the bare ref if the content is gone."""
    catalogue = current_catalogue()
    if kind == "module" and ref in catalogue.modules:
        return catalogue.modules[ref].title
    if kind == "path" and ref in catalogue.paths:
        path = catalogue.paths[ref]
        # The certificate includes the observed practice: the coordinator reads it here.
        return f"{path.title} (modules and observed practice)" if path.practice else path.title
    return ref


def requirement_groups() -> list[RequirementGroup]:
    """Every module and path certificate a task can require, for the form."""
    catalogue = current_catalogue()
    groups = [
        RequirementGroup(
            lazy_gettext("Module certificates"),
            tuple(Requirement("module", m.slug, m.title) for m in catalogue.modules.values()),
        ),
        RequirementGroup(
            lazy_gettext("Path certificates"),
            tuple(
                Requirement("path", p.slug, requirement_title("path", p.slug))
                for p in catalogue.paths.values()
            ),
        ),
    ]
    return [group for group in groups if group.requirements]


def parse_requirements(values: Iterable[str]) -> list[tuple[str, str]]:
    """``"<kind>:<ref>"`` values to (kind, ref), checked against the loaded catalogue."""
    known = {r.value for group in requirement_groups() for r in group.requirements}
    parsed: list[tuple[str, str]] = []
    for value in dict.fromkeys(values):
        kind, _, ref = value.partition(":")
        if kind not in REQUIREMENT_KINDS or value not in known:
            raise UserError(
                gettext(
                    "'%(name)s' is not in the current curriculum. "
                    "Please reload the page and choose again.",
                    name=ref or value,
                ),
                field="requirements",
            )
        parsed.append((kind, ref))
    if not parsed:
        raise UserError(
            gettext("Please choose at least one certificate this task requires."),
            field="requirements",
        )
    return parsed


def tasks_of(centre: Centre) -> list[Task]:
    return list(
        db.session.scalars(
            select(Task).filter_by(centre_id=centre.id).order_by(func.lower(Task.title), Task.id)
        )
    )


def get_task(centre: Centre, task_id: int) -> Task:
    """One of this centre's tasks; 404 for other centres' tasks, as if they did not exist."""
    task = db.session.get(Task, task_id)
    if task is None or task.centre_id != centre.id:
        raise NotFound(gettext("This centre has no such task."))
    return task


def task_requirement_values(task: Task) -> list[str]:
    return [f"{kind}:{ref}" for kind, ref in _requirements_by_task([task.id]).get(task.id, [])]


def save_task(
    centre: Centre,
    title: str,
    description: str,
    requirement_values: Iterable[str],
    task: Task | None = None,
) -> Task:
    """Create a task (or update ``task``) with exactly these requirements."""
    title = " ".join(title.split())
    if not title or len(title) > MAX_TASK_TITLE_LENGTH:
        raise UserError(
            gettext("A task title has 1 to %(max)s characters.", max=MAX_TASK_TITLE_LENGTH),
            field="title",
        )
    description = description.strip()
    if len(description) > MAX_TASK_DESCRIPTION_LENGTH:
        raise UserError(
            gettext(
                "A description has at most %(max)s characters.", max=MAX_TASK_DESCRIPTION_LENGTH
            ),
            field="description",
        )
    requirements = parse_requirements(requirement_values)
    _check_title_free(centre, title, task)
    if task is None:
        task = Task(centre_id=centre.id, title=title, description=description)
        db.session.add(task)
        db.session.flush()
    task.title, task.description = title, description
    db.session.execute(delete(TaskRequirement).where(TaskRequirement.task_id == task.id))
    db.session.add_all(TaskRequirement(task_id=task.id, kind=k, ref=r) for k, r in requirements)
    db.session.flush()
    return task


def _check_title_free(centre: Centre, title: str, task: Task | None) -> None:
    statement = select(Task.id).where(
        Task.centre_id == centre.id, func.lower(Task.title) == title.lower()
    )
    if task is not None:
        statement = statement.where(Task.id != task.id)
    if db.session.scalar(statement) is not None:
        raise UserError(gettext("This centre already has a task with this title."), field="title")


def delete_task(centre: Centre, task_id: int) -> str:
    task = get_task(centre, task_id)
    title = task.title
    db.session.execute(delete(TaskRequirement).where(TaskRequirement.task_id == task.id))
    db.session.delete(task)
    return title


def _requirements_by_task(task_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """(kind, ref) per task, for all the tasks in one query."""
    by_task: dict[int, list[tuple[str, str]]] = {task_id: [] for task_id in task_ids}
    if task_ids:
        rows = db.session.execute(
            select(TaskRequirement.task_id, TaskRequirement.kind, TaskRequirement.ref)
            .where(TaskRequirement.task_id.in_(task_ids))
            .order_by(TaskRequirement.id)
        )
        for task_id, kind, ref in rows:
            by_task[task_id].append((kind, ref))
    return by_task


def task_summaries(centre_id: int) -> list[TaskSummary]:
    """The centre's tasks in title order, each with its requirements, in one query."""
    return tasks_from(queries.tasks_and_requirements(centre_id))


def tasks_from(rows: Iterable[Sequence]) -> list[TaskSummary]:
    """Tasks from rows of ``queries.TASK_COLUMNS``, one per requirement (outer joins: a
    task without requirements has one row with none, a centre without tasks one with none)."""
    tasks: dict[int, tuple[str, str, list[Requirement]]] = {}
    for task_id, title, description, kind, ref in rows:
        if task_id is None:
            continue
        if task_id not in tasks:
            tasks[task_id] = (title, description, [])
        if kind is not None:
            tasks[task_id][2].append(Requirement(kind, ref, requirement_title(kind, ref)))
    return [
        TaskSummary(task_id, title, description, tuple(requirements))
        for task_id, (title, description, requirements) in tasks.items()
    ]
