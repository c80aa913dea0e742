"""invitations count refused registration attempts

Revision ID: 7c1f4d2a9b30
Revises: 3ed32478a2d1
Create Date: 2026-12-01 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7c1f4d2a9b30'
down_revision = '7b1f0c4e9a23'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('failed_tries', sa.Integer(), nullable=False, server_default='0')
        )


def downgrade():
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('failed_tries')
