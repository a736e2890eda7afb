"""The example plugin's tests run from the repository's environment without installing the
plugin: its folder goes on the path (an installed plugin would be found through its entry
points, which tests/test_example_plugin.py checks)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
