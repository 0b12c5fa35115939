"""Virtualenv and external-interpreter python operators: accepted in DAG files, refused when run."""

from __future__ import annotations

from typing import Any

from tradewind.sdk.baseoperator import BaseOperator
from tradewind.sdk.exceptions import AirflowException


class _UnsupportedPythonOperator(BaseOperator):
    """A python operator that needs another interpreter; the DAG imports, the task fails with a clear message."""

    template_fields = ("templates_dict", "op_args", "op_kwargs")

    def __init__(
        self,
        *,
        python_callable: Any,
        op_args: Any = None,
        op_kwargs: Any = None,
        templates_dict: Any = None,
        templates_exts: Any = None,
        show_return_value_in_logs: bool = True,
        requirements: Any = None,
        python: Any = None,
        python_version: Any = None,
        serializer: Any = None,
        use_dill: bool = False,
        system_site_packages: bool = True,
        pip_install_options: Any = None,
        index_urls: Any = None,
        venv_cache_path: Any = None,
        expect_airflow: bool = True,
        string_args: Any = None,
        skip_on_exit_code: Any = None,
        env_vars: Any = None,
        inherit_env: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.python_callable = python_callable
        self.op_args = list(op_args or [])
        self.op_kwargs = dict(op_kwargs or {})
        self.templates_dict = templates_dict
        self.requirements = requirements
        self.python = python
        self.python_version = python_version
        self.system_site_packages = system_site_packages
        self.expect_airflow = expect_airflow
        self.show_return_value_in_logs = show_return_value_in_logs

    def execute(self, context: Any) -> Any:
        """Refuse to run: this operator needs a second Python interpreter, which is not supported yet."""
        raise AirflowException(
            f"Task {self.task_id!r}: {type(self).__name__} is not supported yet. "
            "Use PythonOperator (or @task) with the packages installed in this environment, "
            "or BashOperator calling the other interpreter."
        )


class PythonVirtualenvOperator(_UnsupportedPythonOperator):
    """Run a callable in a new virtualenv (not supported yet: fails when the task runs)."""


class ExternalPythonOperator(_UnsupportedPythonOperator):
    """Run a callable with another python interpreter (not supported yet: fails when the task runs)."""


class BranchPythonVirtualenvOperator(PythonVirtualenvOperator):
    """Branch with a callable run in a virtualenv (not supported yet: fails when the task runs)."""


class BranchExternalPythonOperator(ExternalPythonOperator):
    """Branch with a callable run by another interpreter (not supported yet: fails when the task runs)."""
