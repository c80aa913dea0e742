"""Observed practice: trainers record observation sessions; the rule that says when a
path's practice is complete.

The rule (docs/authoring.md, "Observed practice"): a scenario is complete when, on at
least as many different days as its ``sessions``, a trainer recorded a session of it in
which every criterion of its current checklist was met. A criterion marked "not yet", or
not recorded at all, keeps that session from counting. A path's observed practice is
complete when every one of its scenarios is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from academy.core.catalogue import current_catalogue
from academy.core.content.model import CertificatePath, Scenario
from academy.core.dates import local_today
from academy.core.errors import UserError
from academy.core.extensions import db
from academy.core.signals import observation_recorded
from academy.modules.accounts.models import Role, User
from academy.modules.practice.models import ObservationResult, ObservationSession

MET, NOT_YET, NOT_RECORDED = "met", "not_yet", "not_recorded"
RESULT_WORDS = {MET: "Met", NOT_YET: "Not yet", NOT_RECORDED: "Not recorded"}
MAX_NOTE_LENGTH = 2000


@dataclass(frozen=True)
class RecordedSession:
    """A session as the pages show it: ``scenario`` is None when the curriculum no longer
    has it (or never had it: a carried-over attestation)."""

    id: int
    path_slug: str
    scenario_id: str
    scenario: Scenario | None
    observed_on: date
    observer: str | None  # the trainer's display name; None once their account is gone
    note: str
    results: dict[str, bool]  # criterion id -> met

    def state(self, criterion_id: str) -> str:
        return _state(self.results, criterion_id)

    @property
    def all_met(self) -> bool:
        return self.scenario is not None and _all_met(self.scenario, self.results)


@dataclass(frozen=True)
class ScenarioProgress:
    scenario: Scenario
    days_complete: int  # different days with a session in which every criterion was met
    latest: dict[str, bool] = field(default_factory=dict)  # the last session's results
    last_observed_on: date | None = None

    @property
    def complete(self) -> bool:
        return self.days_complete >= self.scenario.sessions

    @property
    def sessions_needed(self) -> int:
        return max(0, self.scenario.sessions - self.days_complete)

    def state(self, criterion_id: str) -> str:
        """The criterion in the most recent session of this scenario."""
        return _state(self.latest, criterion_id)


@dataclass(frozen=True)
class PracticeProgress:
    path: CertificatePath
    scenarios: tuple[ScenarioProgress, ...]

    @property
    def complete(self) -> bool:
        return all(s.complete for s in self.scenarios)

    @property
    def open_scenarios(self) -> list[str]:
        return [s.scenario.id for s in self.scenarios if not s.complete]


def _state(results: Mapping[str, bool], criterion_id: str) -> str:
    met = results.get(criterion_id)
    return NOT_RECORDED if met is None else MET if met else NOT_YET


def _all_met(scenario: Scenario, results: Mapping[str, bool]) -> bool:
    return all(results.get(c.id) is True for c in scenario.criteria)


# --- recording ---------------------------------------------------------------------------


def record_session(
    trainee: User,
    path_slug: str,
    scenario_id: str,
    observed_on: date,
    results: Mapping[str, str],
    note: str,
    by: User,
) -> ObservationSession:
    """A trainer records one observed session: every criterion met or not yet."""
    if not by.has_role(Role.TRAINER, Role.ADMIN):
        raise UserError("Only trainers record observed practice.")
    if not trainee.is_trainee:
        raise UserError("Observed practice is recorded for trainees only.")
    found = find_scenario(path_slug, scenario_id)
    if found is None:
        raise UserError("This certificate path has no such practice scenario.")
    if observed_on > local_today():
        raise UserError("The date of a session cannot be in the future.", field="observed_on")
    _check_results(found[1], results)
    note = note.strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise UserError(f"A note has at most {MAX_NOTE_LENGTH} characters.", field="note")
    session = ObservationSession(
        user_id=trainee.id,
        path_slug=path_slug,
        scenario_id=scenario_id,
        observed_on=observed_on,
        note=note,
        observed_by_id=by.id,
    )
    db.session.add(session)
    db.session.flush()
    db.session.add_all(
        ObservationResult(session_id=session.id, criterion_id=c.id, met=results[c.id] == MET)
        for c in found[1].criteria
    )
    db.session.flush()
    observation_recorded.send(trainee.id, path_slug=path_slug)
    return session


def _check_results(scenario: Scenario, results: Mapping[str, str]) -> None:
    """Every criterion of the current checklist marked, and nothing else."""
    for criterion in scenario.criteria:
        if results.get(criterion.id) not in (MET, NOT_YET):
            raise UserError(
                f"Please mark '{criterion.text}' as met or not yet.", field=criterion.id
            )
    if set(results) - {c.id for c in scenario.criteria}:
        raise UserError("This checklist has changed. Please reload the page and record again.")


def find_scenario(path_slug: str, scenario_id: str) -> tuple[CertificatePath, Scenario] | None:
    """The path and its scenario from the loaded curriculum, or None."""
    path = current_catalogue().paths.get(path_slug)
    scenario = path.scenario(scenario_id) if path else None
    return (path, scenario) if scenario is not None else None


# --- what has been recorded ---------------------------------------------------------------


def _results_of(session_ids: list[int]) -> dict[int, dict[str, bool]]:
    results: dict[int, dict[str, bool]] = {session_id: {} for session_id in session_ids}
    if session_ids:
        rows = db.session.execute(
            select(
                ObservationResult.session_id, ObservationResult.criterion_id, ObservationResult.met
            ).where(ObservationResult.session_id.in_(session_ids))
        )
        for session_id, criterion_id, met in rows:
            results[session_id][criterion_id] = met
    return results


def sessions_of(user_id: int) -> list[RecordedSession]:
    """Every session recorded for this trainee, newest first (two queries)."""
    rows = db.session.execute(
        select(ObservationSession, User.display_name)
        .outerjoin(User, User.id == ObservationSession.observed_by_id)
        .where(ObservationSession.user_id == user_id)
        .order_by(ObservationSession.observed_on.desc(), ObservationSession.id.desc())
    ).all()
    results = _results_of([session.id for session, _ in rows])
    paths = current_catalogue().paths
    return [
        RecordedSession(
            id=session.id,
            path_slug=session.path_slug,
            scenario_id=session.scenario_id,
            scenario=paths[session.path_slug].scenario(session.scenario_id)
            if session.path_slug in paths
            else None,
            observed_on=session.observed_on,
            observer=observer,
            note=session.note,
            results=results[session.id],
        )
        for session, observer in rows
    ]


def practice_progress(user_id: int, path: CertificatePath) -> PracticeProgress:
    """Where the trainee stands in every scenario of this path (one query; none when the
    path has no observed practice)."""
    if not path.practice:
        return PracticeProgress(path, ())
    sessions: dict[int, tuple[str, date]] = {}
    results: dict[int, dict[str, bool]] = {}
    rows = db.session.execute(
        select(
            ObservationSession.id,
            ObservationSession.scenario_id,
            ObservationSession.observed_on,
            ObservationResult.criterion_id,
            ObservationResult.met,
        )
        .outerjoin(ObservationResult, ObservationResult.session_id == ObservationSession.id)
        .where(ObservationSession.user_id == user_id, ObservationSession.path_slug == path.slug)
    )
    for session_id, scenario_id, observed_on, criterion_id, met in rows:
        sessions[session_id] = (scenario_id, observed_on)
        session_results = results.setdefault(session_id, {})
        if criterion_id is not None:
            session_results[criterion_id] = met
    return PracticeProgress(
        path, tuple(_scenario_progress(s, sessions, results) for s in path.practice)
    )


def _scenario_progress(
    scenario: Scenario,
    sessions: dict[int, tuple[str, date]],
    results: dict[int, dict[str, bool]],
) -> ScenarioProgress:
    mine = sorted(
        (observed_on, session_id)
        for session_id, (scenario_id, observed_on) in sessions.items()
        if scenario_id == scenario.id
    )
    if not mine:
        return ScenarioProgress(scenario, 0)
    days = {
        observed_on for observed_on, session_id in mine if _all_met(scenario, results[session_id])
    }
    last_day, last_id = mine[-1]
    return ScenarioProgress(scenario, len(days), results[last_id], last_day)


def is_practice_complete(user_id: int, path: CertificatePath) -> bool:
    return practice_progress(user_id, path).complete
