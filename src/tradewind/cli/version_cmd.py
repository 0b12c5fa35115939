"""`airflow version`: print the version and nothing else, importing nothing else."""

from __future__ import annotations

import argparse

from tradewind.version import __version__


def show_version(args: argparse.Namespace) -> None:
    print(__version__)
