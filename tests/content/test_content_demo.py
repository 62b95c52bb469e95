"""The demo content under content/ passes `build.py check` with zero errors.

The demo is written by hand, alongside the code; when this test fails it
prints every problem of the demo tree, exactly as an editor would see them.
"""

from __future__ import annotations

import subprocess
import sys

from sunshine import DEMO_CONTENT, REPO_DIR


def test_demo_content_checks_clean() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO_DIR / "build.py"), "check", "--content", str(DEMO_CONTENT)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO_DIR,
    )
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, "the demo content has problems:\n" + result.stderr
    assert "OK —" in result.stdout
