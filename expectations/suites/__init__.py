"""One module per checked table; the module name is the suite name."""

from __future__ import annotations

import importlib
from types import ModuleType

#: suites run after every build, in order: the table they read and the module that defines them
MART_SUITES = ("mart_engagement_weekly",)


def load(name: str) -> ModuleType:
    """The module of suite `name` (it has TABLE, SEVERITY and build())."""
    return importlib.import_module(f"expectations.suites.{name}")
