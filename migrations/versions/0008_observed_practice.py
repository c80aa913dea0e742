"""observed practice replaces the single practice attestation

Each attestation becomes one observation session (its date, trainer, note and creation
time; its requirement id as the scenario) with no criterion results: what was observed
was not recorded, so it counts towards no scenario. A centre task that required an
attestation of a path now requires the path, whose certificate includes the observed
practice. The attestations table is dropped once copied.

Downgrade: sessions without results become attestations again; sessions recorded after
the upgrade have no place in the old schema and are dropped. Task requirements stay on
the path (the stricter reading).

Revision ID: e4a9c61b2f07
Revises: c4101a5bfa9f
Create Date: 2026-12-04 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e4a9c61b2f07'
down_revision = 'c4101a5bfa9f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('observation_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('path_slug', sa.String(length=100), nullable=False),
    sa.Column('scenario_id', sa.String(length=100), nullable=False),
    sa.Column('observed_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('observed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['observed_by_id'], ['users.id'], name=op.f('fk_observation_sessions_observed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_observation_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation_sessions'))
    )
    with op.batch_alter_table('observation_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observation_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('observation_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.String(length=100), nullable=False),
    sa.Column('met', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['observation_sessions.id'], name=op.f('fk_observation_results_session_id_observation_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation_results')),
    sa.UniqueConstraint('session_id', 'criterion_id', name=op.f('uq_observation_results_session_id_criterion_id'))
    )
    op.execute(
        "INSERT INTO observation_sessions"
        " (user_id, path_slug, scenario_id, observed_on, note, observed_by_id, created_at)"
        " SELECT user_id, path_slug, requirement_id, attested_on, note, attested_by_id, created_at"
        " FROM attestations ORDER BY id"
    )
    _attestation_requirements_to_paths()
    with op.batch_alter_table('attestations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attestations_user_id'))

    op.drop_table('attestations')


def _attestation_requirements_to_paths():
    """"attestation" "<path>/<id>" becomes "path" "<path>", once per task."""
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT id, task_id, kind, ref FROM centre_task_requirements ORDER BY id"
    )).all()
    held = {(row.task_id, row.ref) for row in rows if row.kind == 'path'}
    for row in rows:
        if row.kind != 'attestation':
            continue
        path_slug = row.ref.partition('/')[0]
        if (row.task_id, path_slug) in held:
            connection.execute(
                sa.text("DELETE FROM centre_task_requirements WHERE id = :id"), {"id": row.id}
            )
        else:
            held.add((row.task_id, path_slug))
            connection.execute(
                sa.text("UPDATE centre_task_requirements SET kind = 'path', ref = :ref WHERE id = :id"),
                {"ref": path_slug, "id": row.id},
            )


def downgrade():
    op.create_table('attestations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('path_slug', sa.String(length=100), nullable=False),
    sa.Column('requirement_id', sa.String(length=100), nullable=False),
    sa.Column('attested_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('attested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['attested_by_id'], ['users.id'], name=op.f('fk_attestations_attested_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attestations_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attestations')),
    sa.UniqueConstraint('user_id', 'path_slug', 'requirement_id', name=op.f('uq_attestations_user_id_path_slug_requirement_id'))
    )
    with op.batch_alter_table('attestations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attestations_user_id'), ['user_id'], unique=False)

    # The carried-over sessions (no results), the first of each (person, path, id) only.
    op.execute(
        "INSERT INTO attestations"
        " (user_id, path_slug, requirement_id, attested_on, note, attested_by_id, created_at)"
        " SELECT user_id, path_slug, scenario_id, observed_on, note, observed_by_id, created_at"
        " FROM observation_sessions s"
        " WHERE NOT EXISTS (SELECT 1 FROM observation_results r WHERE r.session_id = s.id)"
        " AND s.id = (SELECT MIN(o.id) FROM observation_sessions o WHERE o.user_id = s.user_id"
        " AND o.path_slug = s.path_slug AND o.scenario_id = s.scenario_id)"
        " ORDER BY s.id"
    )
    op.drop_table('observation_results')
    with op.batch_alter_table('observation_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observation_sessions_user_id'))

    op.drop_table('observation_sessions')
