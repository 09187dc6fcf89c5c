"""System check: attachment files must never be inside a directory the web server serves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from pcm.attachments.storage import storage_dir


@register()
def attachments_outside_web_root(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    directory = storage_dir(create=False).resolve()
    errors = []
    for setting in ("STATIC_ROOT", "MEDIA_ROOT"):
        root = getattr(settings, setting, None)
        if not root:
            continue
        served = Path(root).resolve()
        if directory == served or served in directory.parents:
            errors.append(
                Error(
                    f"The attachment directory {directory} is inside {setting} ({served}): "
                    "attachments would be served without the access policy.",
                    hint="Set PCM_DATA_DIR and STATIC_ROOT so that they do not overlap.",
                    id="attachments.E001",
                )
            )
    return errors
