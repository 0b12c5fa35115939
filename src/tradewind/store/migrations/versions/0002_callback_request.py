"""The callback_request table: DAG callbacks asked for by the scheduler, run by the DAG processor.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create callback_request."""
    op.create_table('callback_request',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('dag_id', sa.String(length=250), nullable=False),
    sa.Column('run_id', sa.String(length=250), nullable=False),
    sa.Column('fileloc', sa.String(length=2000), nullable=False),
    sa.Column('is_failure_callback', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.String(length=50), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_callback_request'))
    )


def downgrade() -> None:
    """Drop callback_request."""
    op.drop_table('callback_request')
