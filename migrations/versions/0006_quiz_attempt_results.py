"""quiz attempts keep which questions were answered right

Revision ID: c4101a5bfa9f
Revises: 7c1f4d2a9b30
Create Date: 2026-12-08 10:00:00.000000

Item analysis (the trainer's figures per question) reads it, so the figures of an
older quiz version survive its content being replaced. Attempts submitted before this
revision keep NULL: item analysis grades those with the loaded quiz where it can.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4101a5bfa9f'
down_revision = '7c1f4d2a9b30'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('correct', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_column('correct')
