"""Initial schema: every table of tradewind.store.schema, created explicitly.

Revision ID: 0001
Revises: none

Instants are DateTime(timezone=True) here; schema.UtcDateTime stores them in that column type.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create every table with its keys, unique constraints and indexes."""
    op.create_table('ab_user',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('username', sa.String(length=256), nullable=False),
    sa.Column('password_hash', sa.String(length=512), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('email', sa.String(length=512), nullable=True),
    sa.Column('first_name', sa.String(length=256), nullable=True),
    sa.Column('last_name', sa.String(length=256), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ab_user')),
    sa.UniqueConstraint('username', name=op.f('uq_ab_user_username'))
    )
    op.create_table('connection',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('conn_id', sa.String(length=250), nullable=False),
    sa.Column('conn_type', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('host', sa.String(length=500), nullable=True),
    sa.Column('schema', sa.String(length=500), nullable=True),
    sa.Column('login', sa.Text(), nullable=True),
    sa.Column('password', sa.Text(), nullable=True),
    sa.Column('port', sa.Integer(), nullable=True),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.Column('is_encrypted', sa.Boolean(), nullable=False),
    sa.Column('is_extra_encrypted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_connection')),
    sa.UniqueConstraint('conn_id', name=op.f('uq_connection_conn_id'))
    )
    op.create_table('dag',
    sa.Column('dag_id', sa.String(length=250), nullable=False),
    sa.Column('fileloc', sa.String(length=2000), nullable=False),
    sa.Column('is_paused', sa.Boolean(), nullable=False),
    sa.Column('is_stale', sa.Boolean(), nullable=False),
    sa.Column('last_parsed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_parse_duration_s', sa.Float(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('owners', sa.String(length=2000), nullable=True),
    sa.Column('timetable_summary', sa.String(length=1000), nullable=True),
    sa.Column('timetable_description', sa.String(length=1000), nullable=True),
    sa.Column('max_active_runs', sa.Integer(), nullable=True),
    sa.Column('max_active_tasks', sa.Integer(), nullable=True),
    sa.Column('has_import_errors', sa.Boolean(), nullable=False),
    sa.Column('next_dagrun_logical_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_dagrun_data_interval_start', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_dagrun_data_interval_end', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_dagrun_create_after', sa.DateTime(timezone=True), nullable=True),
    sa.Column('latest_version', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('dag_id', name=op.f('pk_dag'))
    )
    op.create_table('dag_code',
    sa.Column('fileloc', sa.String(length=2000), nullable=False),
    sa.Column('source_code', sa.Text(), nullable=False),
    sa.Column('source_hash', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('fileloc', name=op.f('pk_dag_code'))
    )
    op.create_table('dag_run',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('dag_id', sa.String(length=250), nullable=False),
    sa.Column('run_id', sa.String(length=250), nullable=False),
    sa.Column('logical_date', sa.DateTime(timezone=True), nullable=True),
    sa.Column('data_interval_start', sa.DateTime(timezone=True), nullable=True),
    sa.Column('data_interval_end', sa.DateTime(timezone=True), nullable=True),
    sa.Column('run_after', sa.DateTime(timezone=True), nullable=False),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('start_date', sa.DateTime(timezone=True), nullable=True),
    sa.Column('end_date', sa.DateTime(timezone=True), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('run_type', sa.String(length=50), nullable=False),
    sa.Column('triggered_by', sa.String(length=50), nullable=True),
    sa.Column('conf', sa.JSON(), nullable=True),
    sa.Column('dag_version', sa.Integer(), nullable=True),
    sa.Column('last_scheduling_decision', sa.DateTime(timezone=True), nullable=True),
    sa.Column('clear_number', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dag_run')),
    sa.UniqueConstraint('dag_id', 'logical_date', name=op.f('uq_dag_run_dag_id_logical_date')),
    sa.UniqueConstraint('dag_id', 'run_id', name=op.f('uq_dag_run_dag_id_run_id'))
    )
    op.create_index('idx_dag_run_dag_id_run_after', 'dag_run', ['dag_id', 'run_after'], unique=False)
    op.create_index('idx_dag_run_state', 'dag_run', ['state'], unique=False)
    op.create_table('import_error',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('filename', sa.String(length=2000), nullable=False),
    sa.Column('stack_trace', sa.Text(), nullable=False),
    sa.Column('timestamp', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_error')),
    sa.UniqueConstraint('filename', name=op.f('uq_import_error_filename'))
    )
    op.create_table('job',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('job_type', sa.String(length=30), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('hostname', sa.String(length=500), nullable=True),
    sa.Column('pid', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end_date', sa.DateTime(timezone=True), nullable=True),
    sa.Column('latest_heartbeat', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job'))
    )
    op.create_index('idx_job_type_heartbeat', 'job', ['job_type', 'latest_heartbeat'], unique=False)
    op.create_table('log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('dttm', sa.DateTime(timezone=True), nullable=False),
    sa.Column('event', sa.String(length=60), nullable=False),
    sa.Column('dag_id', sa.String(length=250), nullable=True),
    sa.Column('task_id', sa.String(length=250), nullable=True),
    sa.Column('run_id', sa.String(length=250), nullable=True),
    sa.Column('map_index', sa.Integer(), nullable=True),
    sa.Column('try_number', sa.Integer(), nullable=True),
    sa.Column('logical_date', sa.DateTime(timezone=True), nullable=True),
    sa.Column('owner', sa.String(length=500), nullable=True),
    sa.Column('extra', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_log'))
    )
    op.create_index('idx_log_dag_id', 'log', ['dag_id'], unique=False)
    op.create_index('idx_log_dttm', 'log', ['dttm'], unique=False)
    op.create_table('serialized_dag',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('dag_id', sa.String(length=250), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('dag_hash', sa.String(length=64), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('fileloc', sa.String(length=2000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_serialized_dag')),
    sa.UniqueConstraint('dag_id', 'version_number', name=op.f('uq_serialized_dag_dag_id_version_number'))
    )
    op.create_table('slot_pool',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('pool', sa.String(length=256), nullable=False),
    sa.Column('slots', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('include_deferred', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_slot_pool')),
    sa.UniqueConstraint('pool', name=op.f('uq_slot_pool_pool'))
    )
    op.create_table('task_instance',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('dag_id', sa.String(length=250), nullable=False),
    sa.Column('run_id', sa.String(length=250), nullable=False),
    sa.Column('task_id', sa.String(length=250), nullable=False),
    sa.Column('map_index', sa.Integer(), nullable=False),
    sa.Column('try_number', sa.Integer(), nullable=False),
    sa.Column('max_tries', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=True),
    sa.Column('start_date', sa.DateTime(timezone=True), nullable=True),
    sa.Column('end_date', sa.DateTime(timezone=True), nullable=True),
    sa.Column('duration', sa.Float(), nullable=True),
    sa.Column('hostname', sa.String(length=1000), nullable=True),
    sa.Column('unixname', sa.String(length=1000), nullable=True),
    sa.Column('pid', sa.Integer(), nullable=True),
    sa.Column('pool', sa.String(length=256), nullable=False),
    sa.Column('pool_slots', sa.Integer(), nullable=False),
    sa.Column('queue', sa.String(length=256), nullable=True),
    sa.Column('priority_weight', sa.Integer(), nullable=True),
    sa.Column('operator', sa.String(length=1000), nullable=True),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('scheduled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('executor', sa.String(length=1000), nullable=True),
    sa.Column('rendered_fields', sa.JSON(), nullable=True),
    sa.Column('rendered_map_index', sa.String(length=250), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_try_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('external_executor_id', sa.String(length=250), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_instance')),
    sa.UniqueConstraint('dag_id', 'run_id', 'task_id', 'map_index', name=op.f('uq_task_instance_dag_id_run_id_task_id_map_index'))
    )
    op.create_index('idx_task_instance_dag_id_task_id', 'task_instance', ['dag_id', 'task_id'], unique=False)
    op.create_index('idx_task_instance_state', 'task_instance', ['state'], unique=False)
    op.create_table('task_instance_history',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('dag_id', sa.String(length=250), nullable=False),
    sa.Column('run_id', sa.String(length=250), nullable=False),
    sa.Column('task_id', sa.String(length=250), nullable=False),
    sa.Column('map_index', sa.Integer(), nullable=False),
    sa.Column('try_number', sa.Integer(), nullable=False),
    sa.Column('max_tries', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=True),
    sa.Column('start_date', sa.DateTime(timezone=True), nullable=True),
    sa.Column('end_date', sa.DateTime(timezone=True), nullable=True),
    sa.Column('duration', sa.Float(), nullable=True),
    sa.Column('hostname', sa.String(length=1000), nullable=True),
    sa.Column('unixname', sa.String(length=1000), nullable=True),
    sa.Column('pid', sa.Integer(), nullable=True),
    sa.Column('pool', sa.String(length=256), nullable=False),
    sa.Column('pool_slots', sa.Integer(), nullable=False),
    sa.Column('queue', sa.String(length=256), nullable=True),
    sa.Column('priority_weight', sa.Integer(), nullable=True),
    sa.Column('operator', sa.String(length=1000), nullable=True),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('scheduled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('executor', sa.String(length=1000), nullable=True),
    sa.Column('rendered_fields', sa.JSON(), nullable=True),
    sa.Column('rendered_map_index', sa.String(length=250), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_instance_history')),
    sa.UniqueConstraint('dag_id', 'run_id', 'task_id', 'map_index', 'try_number', name=op.f('uq_task_instance_history_dag_id_run_id_task_id_map_index_try_number'))
    )
    op.create_table('task_reschedule',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('dag_id', sa.String(length=250), nullable=False),
    sa.Column('run_id', sa.String(length=250), nullable=False),
    sa.Column('task_id', sa.String(length=250), nullable=False),
    sa.Column('map_index', sa.Integer(), nullable=False),
    sa.Column('try_number', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end_date', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reschedule_date', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_reschedule'))
    )
    op.create_index('idx_task_reschedule_key', 'task_reschedule', ['dag_id', 'run_id', 'task_id', 'map_index'], unique=False)
    op.create_table('variable',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=250), nullable=False),
    sa.Column('val', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('is_encrypted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_variable')),
    sa.UniqueConstraint('key', name=op.f('uq_variable_key'))
    )
    op.create_table('xcom',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('dag_id', sa.String(length=250), nullable=False),
    sa.Column('run_id', sa.String(length=250), nullable=False),
    sa.Column('task_id', sa.String(length=250), nullable=False),
    sa.Column('map_index', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=512), nullable=False),
    sa.Column('value', sa.JSON(), nullable=True),
    sa.Column('timestamp', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_xcom')),
    sa.UniqueConstraint('dag_id', 'run_id', 'task_id', 'map_index', 'key', name=op.f('uq_xcom_dag_id_run_id_task_id_map_index_key'))
    )
    op.create_table('dag_tag',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('dag_id', sa.String(length=250), nullable=False),
    sa.ForeignKeyConstraint(['dag_id'], ['dag.dag_id'], name=op.f('fk_dag_tag_dag_id_dag'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('name', 'dag_id', name=op.f('pk_dag_tag'))
    )
    op.create_index('idx_dag_tag_dag_id', 'dag_tag', ['dag_id'], unique=False)


def downgrade() -> None:
    """Drop every table, dependents first."""
    op.drop_table('dag_tag')
    op.drop_table('xcom')
    op.drop_table('variable')
    op.drop_table('task_reschedule')
    op.drop_table('task_instance_history')
    op.drop_table('task_instance')
    op.drop_table('slot_pool')
    op.drop_table('serialized_dag')
    op.drop_table('log')
    op.drop_table('job')
    op.drop_table('import_error')
    op.drop_table('dag_run')
    op.drop_table('dag_code')
    op.drop_table('dag')
    op.drop_table('connection')
    op.drop_table('ab_user')
