"""YAML for people and scripts that prefer it to JSON."""

from __future__ import annotations

from typing import Any


def dumps(value: Any) -> str:
    """Block-style YAML that keeps key order and non-ASCII text."""
    import yaml

    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
