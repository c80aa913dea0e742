"""account language: the interface language a person picked

A nullable column: accounts that never chose keep following the browser's
Accept-Language. The check lists the supported languages (LANGUAGES in
academy/core/i18n.py); adding a language means a migration that widens it.

Revision ID: 0c3f6a1d9e12
Revises: c3f7a2d91e50
Create Date: 2026-12-04 11:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0c3f6a1d9e12'
down_revision = 'c3f7a2d91e50'
branch_labels = None
depends_on = None


CHECK = "language IN ('en', 'de', 'ar', 'uk', 'ro')"


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        # Not a batch copy of the table: its DROP TABLE would delete, by ON DELETE
        # CASCADE, every row that points at a user. SQLite adds a column with its check.
        op.execute(
            f"ALTER TABLE users ADD COLUMN language VARCHAR(5) "
            f"CONSTRAINT ck_users_language CHECK ({CHECK})"
        )
        return
    op.add_column('users', sa.Column('language', sa.String(length=5), nullable=True))
    op.create_check_constraint(op.f('ck_users_language'), 'users', CHECK)


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f('ck_users_language'), 'users', type_='check')
    op.drop_column('users', 'language')
