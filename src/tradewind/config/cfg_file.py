"""Write airflow.cfg with every option commented out at its default, so that users see what exists."""

from __future__ import annotations

import secrets
from itertools import groupby
from pathlib import Path

from tradewind.config.options import OPTIONS


def render_default_cfg(home: Path) -> str:
    """The text of a fresh airflow.cfg: sections with each option's description and default."""
    lines = ["# Tradewind configuration. Uncomment a line to change its value;",
             "# AIRFLOW__SECTION__KEY environment variables override this file.", ""]
    for section, options in groupby(OPTIONS, key=lambda o: o.section):
        lines.append(f"[{section}]")
        for option in options:
            default = option.default
            if isinstance(default, str):
                default = default.replace("{AIRFLOW_HOME}", str(home))
            if isinstance(default, bool):
                default = str(default)
            lines.append(f"# {option.description}")
            if option.key == "secret_key":
                # A per-install secret, so that session cookies cannot be forged across installs.
                lines.append(f"{option.key} = {secrets.token_urlsafe(32)}")
            else:
                lines.append(f"# {option.key} = {default}")
        lines.append("")
    return "\n".join(lines)


def ensure_cfg_file(home: Path) -> Path:
    """Create $AIRFLOW_HOME and its airflow.cfg if missing; never overwrite the user's file."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / "airflow.cfg"
    if not path.exists():
        path.write_text(render_default_cfg(home), encoding="utf-8")
    return path
