"""quiz_wait_lifts: a trainer lifted a trainee's wait before the next quiz attempt

Revision ID: 4e8a2c6d1f57
Revises: 7c1f4d2a9b30
Create Date: 2026-12-02 10:00:00.000000

Pacing (docs/authoring.md): after failed attempts in a row, the next attempt opens
later; a trainer may lift that wait for one trainee. The row records who and when.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '4e8a2c6d1f57'
down_revision = '7c1f4d2a9b30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'quiz_wait_lifts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('module_slug', sa.String(length=100), nullable=False),
        sa.Column('module_version', sa.String(length=40), nullable=False),
        sa.Column('lifted_by_id', sa.Integer(), nullable=True),
        sa.Column('lifted_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['lifted_by_id'], ['users.id'],
            name=op.f('fk_quiz_wait_lifts_lifted_by_id_users'), ondelete='SET NULL',
        ),
        sa.ForeignKeyConstraint(
            ['user_id'], ['users.id'],
            name=op.f('fk_quiz_wait_lifts_user_id_users'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_wait_lifts')),
    )
    with op.batch_alter_table('quiz_wait_lifts', schema=None) as batch_op:
        batch_op.create_index(
            'ix_quiz_wait_lifts_user_module', ['user_id', 'module_slug'], unique=False
        )


def downgrade():
    with op.batch_alter_table('quiz_wait_lifts', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_wait_lifts_user_module')
    op.drop_table('quiz_wait_lifts')
