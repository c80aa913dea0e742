"""certificate lifecycle: re-earning after revocation, replacement, module versions

- The one-certificate-per-subject rule holds for unrevoked certificates only (a partial
  unique index), so re-earning a revoked module issues a new certificate with a new code.
- ``certificates.replaced_at``: a newer certificate (after a refresher for a new
  content version) took this one's place.
- ``module_versions``: when each module version was first loaded; a version with
  ``recertify: true`` gives holders of older ones a grace period from then. Existing
  databases start the clock at the upgrade.

Revision ID: 7c3f9a1d2e60
Revises: 0c3f6a1d9e12
Create Date: 2026-12-04 11:45:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7c3f9a1d2e60'
down_revision = "0c3f6a1d9e12"  # 0011_account_language
branch_labels = None
depends_on = None

UNREVOKED = sa.text('revoked_at IS NULL')


def upgrade():
    op.create_table('module_versions',
    sa.Column('module_slug', sa.String(length=100), nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('first_seen_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('module_slug', 'version', name=op.f('pk_module_versions'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('replaced_at', sa.DateTime(), nullable=True))
        batch_op.drop_constraint(
            batch_op.f('uq_certificates_user_id_kind_subject_slug_subject_version'), type_='unique'
        )
        batch_op.create_index(
            'uq_certificates_unrevoked_subject',
            ['user_id', 'kind', 'subject_slug', 'subject_version'],
            unique=True,
            sqlite_where=UNREVOKED,
            postgresql_where=UNREVOKED,
        )


def downgrade():
    # Certificates re-issued after a revocation share their subject with the revoked one:
    # the old constraint cannot hold them, so the revoked duplicates go first.
    op.execute(
        'DELETE FROM certificates WHERE revoked_at IS NOT NULL AND EXISTS ('
        'SELECT 1 FROM certificates AS newer WHERE newer.user_id = certificates.user_id '
        'AND newer.kind = certificates.kind AND newer.subject_slug = certificates.subject_slug '
        'AND newer.subject_version = certificates.subject_version AND newer.id > certificates.id)'
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('uq_certificates_unrevoked_subject')
        batch_op.create_unique_constraint(
            batch_op.f('uq_certificates_user_id_kind_subject_slug_subject_version'),
            ['user_id', 'kind', 'subject_slug', 'subject_version'],
        )
        batch_op.drop_column('replaced_at')

    op.drop_table('module_versions')
