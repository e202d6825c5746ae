"""Render a report to HTML with Jinja templates. Autoescape is on for every template, so text
from the data (titles, comments, account names) is always escaped; only the SVG charts, drawn
here, are inserted as markup."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from reports.rules import METRIC_NAMES
from reports.tables import format_value, platform_name


def _number(value: Any, digits: int = 0) -> str:
    return format_value(value, {0: "int", 1: "num1"}.get(digits, "num2"))


def _percent(value: Any, digits: int = 1) -> str:
    return format_value(value, "pct2" if digits >= 2 else "pct")


def _signed_percent(value: Any) -> str:
    return format_value(value, "change")


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.filters.update(
        number=_number,
        percent=_percent,
        signed_percent=_signed_percent,
        platform_name=platform_name,
        fmt=format_value,
    )
    env.globals.update(metric_names=METRIC_NAMES)
    return env


def render_html(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
