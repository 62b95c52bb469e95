"""A failed build changes nothing: `build.py build` over a broken tree exits 1 and keeps the old site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sunshine import REPO_DIR
from sunshine.write import swap_in


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(content: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO_DIR / "build.py"), "build", "--content", str(content), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=240,
        cwd=REPO_DIR,
    )


def test_broken_tree_leaves_previous_output_byte_identical(mini_content: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = _build(mini_content, out)
    assert first.returncode == 0, first.stderr
    assert "built" in first.stdout
    before = _snapshot(out)
    assert "items/canyin-fuwu-xuke/index.html" in before

    item = mini_content / "items/canyin-fuwu-xuke.yaml"
    item.write_text(item.read_text(encoding="utf-8").replace("materials:", "matrials:"), encoding="utf-8")
    second = _build(mini_content, out)
    assert second.returncode == 1
    assert "items/canyin-fuwu-xuke.yaml" in second.stderr and "Traceback" not in second.stderr
    assert _snapshot(out) == before
    # No staging left behind; the server's search index lives beside the site, not in it.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site", "site.search"]


def test_swap_in_replaces_the_output_and_removes_the_old_one(tmp_path: Path) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "old.html").write_text("old", encoding="utf-8")
    staging = tmp_path / ".site.building-x"
    staging.mkdir()
    (staging / "index.html").write_text("new", encoding="utf-8")
    swap_in(staging, out)
    assert _snapshot(out) == {"index.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert out.stat().st_mode & 0o755 == 0o755  # readable by a web server running as another user
