"""the preview of an upload kept with it

Revision ID: 0011_import_previews
Revises: 0010_row_versions
Create Date: 2026-12-05 03:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_import_previews"
down_revision: str | None = "0010_row_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision: uploads keep their preview and checked rows (none yet)."""
    with op.batch_alter_table("import_uploads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("preview", sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column("checked", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    """Revert this revision: kept previews are dropped (they are made again on demand)."""
    with op.batch_alter_table("import_uploads", schema=None) as batch_op:
        batch_op.drop_column("checked")
        batch_op.drop_column("preview")
