"""The release version, kept apart so that `airflow version` imports nothing else."""

__version__ = "0.1.0"
