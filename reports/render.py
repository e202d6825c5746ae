"""Render report tables to HTML with Jinja templates (text from the data is always escaped)."""

from __future__ import annotations

import math
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from reports.weekly_data_review import PLATFORM_NAMES, change


def _number(value: Any, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    try:
        if value is not None and str(value) == "<NA>":
            return "—"
    except TypeError:
        pass
    return f"{float(value):,.{digits}f}"


def _percent(value: Any, digits: int = 1) -> str:
    if value is None or str(value) in {"<NA>", "nan"}:
        return "—"
    return f"{float(value) * 100:.{digits}f}%"


def _signed_percent(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value * 100:+.1f}%"


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        number=_number,
        percent=_percent,
        signed_percent=_signed_percent,
        platform_name=lambda p: PLATFORM_NAMES.get(p, p),
    )
    env.globals.update(change=change)
    return env


def render_html(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
