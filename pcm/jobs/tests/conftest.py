"""Job tests keep their result files in a temporary folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _results_in_tmp(settings, tmp_path):
    settings.DATA_DIR = tmp_path
