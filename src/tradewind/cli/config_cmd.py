"""`airflow config list` and `airflow config get-value SECTION KEY`: the effective configuration."""

from __future__ import annotations

import argparse
import os
import sys
from itertools import groupby

from tradewind.config.options import OPTIONS, OPTIONS_BY_KEY
from tradewind.config.settings import load_settings


def _display(value: object) -> str:
    return str(value) if not isinstance(value, bool) else ("True" if value else "False")


def list_config(args: argparse.Namespace) -> int:
    settings = load_settings({} if args.defaults else os.environ)
    options = [o for o in OPTIONS if args.section is None or o.section == args.section]
    if not options:
        print(f"error: no section [{args.section}]; sections: {', '.join(sorted({o.section for o in OPTIONS}))}",
              file=sys.stderr)
        return 1
    for section, group in groupby(options, key=lambda o: o.section):
        print(f"[{section}]")
        for option in group:
            value = settings.get(option.section, option.key)
            shown = "< hidden >" if option.secret and value else _display(value)
            source = settings.sources.get((option.section, option.key), "default")
            print(f"{option.key} = {shown}  # {source}")
        print()
    return 0


def get_value(args: argparse.Namespace) -> int:
    option = OPTIONS_BY_KEY.get((args.section, args.option))
    if option is None:
        print(f"error: the option [{args.section}/{args.option}] is not found in config", file=sys.stderr)
        return 1
    print(_display(load_settings().get(args.section, args.option)))
    return 0
