"""centre facts: the local facts a coordinator fills in for the lessons

One row per centre and fact (its emergency number, how expenses are paid back); the
names are those of academy/core/content/facts.py. A new table only: nothing to carry
over, and the downgrade drops it with the values coordinators entered.

Revision ID: 5b8e2d7f4a19
Revises: e4a9c61b2f07
Create Date: 2026-12-08 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5b8e2d7f4a19'
down_revision = 'e4a9c61b2f07'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('centre_facts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('centre_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['centre_id'], ['centres.id'], name=op.f('fk_centre_facts_centre_id_centres'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_centre_facts')),
    sa.UniqueConstraint('centre_id', 'name', name=op.f('uq_centre_facts_centre_id_name'))
    )
    with op.batch_alter_table('centre_facts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_centre_facts_centre_id'), ['centre_id'], unique=False)


def downgrade():
    with op.batch_alter_table('centre_facts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_centre_facts_centre_id'))

    op.drop_table('centre_facts')
