"""Airflow's top-level package: `from airflow import DAG` works, and importing it stays cheap.

The names are resolved on first access so that `import airflow` alone imports almost nothing.
"""

from tradewind.version import __version__

_LAZY = {
    "DAG": ("tradewind.sdk.dag", "DAG"),
    "XComArg": ("tradewind.sdk.xcom_arg", "XComArg"),
    "Asset": ("tradewind.sdk.assets", "Asset"),
    "Dataset": ("tradewind.sdk.assets", "Asset"),
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'airflow' has no attribute {name!r}")


__all__ = ["DAG", "Dataset", "Asset", "XComArg", "__version__"]
