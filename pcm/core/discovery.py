"""Find the modules each PCM app contributes: `queue`, `case_page` and `demo_data`.

An app takes part by having a module of that name (e.g. `pcm.plans.queue`); nothing central
needs editing when an app is added.
"""

from __future__ import annotations

import importlib
import importlib.util
from functools import cache
from types import ModuleType

from django.apps import apps


@cache
def app_modules(module_name: str) -> tuple[ModuleType, ...]:
    """The `<app>.<module_name>` modules of PCM's installed apps, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("pcm."):
            continue
        dotted = f"{config.name}.{module_name}"
        if importlib.util.find_spec(dotted) is not None:
            found.append(importlib.import_module(dotted))
    return tuple(found)
