"""account recoveries: password reset links and second-factor resets

A trainee who forgot their password gets a single-use, expiring link from their trainer,
a coordinator of a centre they share with, or an admin; an admin can clear a lost second
factor. Each is one row: who gave it, to whom, when, and (for a link) only the hash of
its token. A new table only: nothing to carry over; the downgrade drops the audit rows.

Revision ID: c3f7a2d91e50
Revises: 5b8e2d7f4a19
Create Date: 2026-12-04 11:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c3f7a2d91e50'
down_revision = '5b8e2d7f4a19'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('account_recoveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_account_recoveries_issued_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_recoveries_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_recoveries')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_account_recoveries_token_hash'))
    )
    with op.batch_alter_table('account_recoveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_recoveries_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('account_recoveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_recoveries_user_id'))

    op.drop_table('account_recoveries')
