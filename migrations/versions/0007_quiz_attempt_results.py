"""quiz attempts keep which questions were answered right; an index for item analysis

Revision ID: c4101a5bfa9f
Revises: 4e8a2c6d1f57
Create Date: 2026-12-08 10:00:00.000000

Item analysis (the trainer's figures per question) reads it, so the figures of an
older quiz version survive its content being replaced. Attempts submitted before this
revision keep NULL: item analysis grades those with the loaded quiz where it can.
The partial index on submitted attempts by quiz version lets item analysis find each
trainee's first attempt without reading the whole table.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4101a5bfa9f'
down_revision = '4e8a2c6d1f57'
branch_labels = None
depends_on = None


SUBMITTED = sa.text('submitted_at IS NOT NULL')


def upgrade():
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('correct', sa.JSON(), nullable=True))
        batch_op.create_index(
            'ix_quiz_attempts_submitted_version',
            ['module_slug', 'module_version', 'user_id', 'id'],
            unique=False,
            sqlite_where=SUBMITTED,
            postgresql_where=SUBMITTED,
        )


def downgrade():
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_attempts_submitted_version')
        batch_op.drop_column('correct')
