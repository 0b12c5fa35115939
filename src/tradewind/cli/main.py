"""The `airflow` / `tradewind` command: builds argparse from the command table and dispatches."""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

from tradewind.cli.table import COMMANDS


def build_parser() -> argparse.ArgumentParser:
    """One parser with a sub-command per table word; leaves carry their handler path."""
    parser = argparse.ArgumentParser(prog="airflow", description="Tradewind: run Airflow DAGs, fast.")
    groups: dict[tuple[str, ...], argparse._SubParsersAction] = {(): parser.add_subparsers(dest="command", metavar="COMMAND")}
    parsers: dict[tuple[str, ...], argparse.ArgumentParser] = {}
    for command in COMMANDS:
        for depth in range(1, len(command.words)):
            prefix = command.words[:depth]
            if prefix not in parsers:
                sub = groups[prefix[:-1]].add_parser(prefix[-1], help=f"{prefix[-1]} commands")
                parsers[prefix] = sub
                groups[prefix] = sub.add_subparsers(dest=f"command_{depth}", metavar="COMMAND")
        leaf = groups[command.words[:-1]].add_parser(command.words[-1], help=command.help, description=command.help)
        for a in command.args:
            leaf.add_argument(*a.flags, **a.options)
        leaf.set_defaults(_handler=command.handler)
        parsers[command.words] = leaf
    return parser


def dispatch(handler_path: str, args: argparse.Namespace) -> int:
    module_name, _, function_name = handler_path.partition(":")
    handler = getattr(importlib.import_module(module_name), function_name)
    result = handler(args)
    return 0 if result is None else int(result)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "_handler", None)
    if handler is None:
        # A group given without its sub-command: show that group's help, as Airflow does.
        parser.parse_args([*(argv if argv is not None else sys.argv[1:]), "--help"])
        return 2
    from tradewind.errors import TradewindError

    try:
        return dispatch(handler, args)
    except TradewindError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
