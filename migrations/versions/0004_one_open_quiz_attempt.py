"""one open quiz attempt per trainee and quiz version

Revision ID: 7b1f0c4e9a23
Revises: 3ed32478a2d1
Create Date: 2026-12-01 10:00:00.000000

Simultaneous opens of a quiz could each insert an open attempt. Before the unique
index can exist, the extra open attempts go: only the newest open attempt of each
trainee and quiz version is ever shown, and an open attempt held no answers before
this revision, so nothing a trainee sent is deleted.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7b1f0c4e9a23'
down_revision = '3ed32478a2d1'
branch_labels = None
depends_on = None

OPEN = sa.text('submitted_at IS NULL')


def upgrade():
    op.execute(
        'DELETE FROM quiz_attempts WHERE submitted_at IS NULL AND id NOT IN ('
        ' SELECT newest FROM ('
        '  SELECT MAX(id) AS newest FROM quiz_attempts WHERE submitted_at IS NULL'
        '  GROUP BY user_id, module_slug, module_version) AS open_attempts)'
    )
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.create_index(
            'uq_quiz_attempts_open',
            ['user_id', 'module_slug', 'module_version'],
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        )


def downgrade():
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_index('uq_quiz_attempts_open')
