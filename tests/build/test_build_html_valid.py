"""Every page of the built demo site is valid HTML: the W3C Nu checker (npm vnu-jar, Java) finds no error.

Both versions of every page are in the build (the 关怀版 under ``care/``);
the server's own search results page, which a static build does not hold,
is rendered through the test client and checked with them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from sunshine import REPO_DIR

VNU = REPO_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def _vnu(*targets: Path) -> list[str]:
    if not VNU.is_file():
        pytest.fail(f"{VNU} is missing: `make test` installs it (npm ci, package-lock.json)")
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: the Nu HTML checker needs a Java runtime")
    run = subprocess.run(
        [
            java,
            "-Xss2m",
            "-jar",
            str(VNU),
            "--errors-only",
            "--skip-non-html",
            "--format",
            "json",
            *map(str, targets),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    return [
        f"{'/'.join(m.get('url', '').rsplit('/', 3)[-3:])}:{m.get('lastLine')}: {m['message']}"
        for m in messages
    ]


def test_built_site_is_valid_html(built_site: Path, make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    client = make_app().test_client()
    server_pages = tmp_path / "server"
    server_pages.mkdir()
    for name, url in [("search-results", "/search/?q=身份证"), ("search-nothing", "/search/?q=asdfgh")]:
        (server_pages / f"{name}.html").write_bytes(client.get(url).data)
    pages = sum(1 for _ in built_site.rglob("*.html"))
    assert pages > 100 and (built_site / "care" / "index.html").is_file()
    assert _vnu(built_site, server_pages) == []
