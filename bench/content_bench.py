"""Time loading and validating a content tree of N synthetic items, with libyaml's C loader and without.

    .venv/bin/python bench/content_bench.py [N ...]      (default: 1000 10000)

Writes a tree of N items (10 departments, 20 windows, forms) to a temporary
folder using the test suite's minimal tree as the template, then times
``read_content`` — parse with line numbers, pydantic validation, cross-record
checks — once with ``yaml.CSafeLoader`` (what the build uses) and once with
the pure-Python ``yaml.SafeLoader`` for comparison.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "content"))

from contenttree import ITEM, MINIMAL_TREE  # noqa: E402

from sunshine.content import read_content, yamlio  # noqa: E402


def write_tree(root: Path, n_items: int) -> None:
    """The minimal tree plus ``n_items`` items spread over 10 departments and 20 windows."""
    for rel, data in MINIMAL_TREE.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    department = (root / "departments/shiyaojian.yaml").read_text(encoding="utf-8")
    window = (root / "windows/a01.yaml").read_text(encoding="utf-8")
    for d in range(10):
        (root / f"departments/dep-{d}.yaml").write_text(department, encoding="utf-8")
    for w in range(20):
        text = window.replace("A01", f"B{w:02d}").replace("[shiyaojian]", f"[dep-{w % 10}]")
        (root / f"windows/win-{w}.yaml").write_text(text, encoding="utf-8")
    for i in range(n_items):
        text = (
            ITEM.replace('"6106-XK-001"', f'"6106-XK-{i:06d}"')
            .replace("department: shiyaojian", f"department: dep-{i % 10}")
            .replace("windows: [a01]", f"windows: [win-{i % 20}]")
            .replace("name: 餐饮服务许可\n", f"name: 餐饮服务许可第{i}号\n", 1)
        )
        (root / f"items/item-{i:06d}.yaml").write_text(text, encoding="utf-8")


def timed(root: Path, loader: type[yaml.SafeLoader]) -> float:
    saved = yamlio.LOADER
    yamlio.LOADER = loader
    try:
        start = time.perf_counter()
        content = read_content(root)
        elapsed = time.perf_counter() - start
    finally:
        yamlio.LOADER = saved
    assert not content.warnings, content.warnings[:3]
    return elapsed


def main(sizes: list[int]) -> None:
    loaders = {"CSafeLoader": yamlio.LOADER, "SafeLoader": yamlio.make_loader(yaml.SafeLoader)}
    print(f"{'items':>7} {'loader':>12} {'seconds':>8} {'items/s':>9}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "content"
            write_tree(root, n)
            timed(root, yamlio.LOADER)  # warm the page cache and imports
            for name, loader in loaders.items():
                seconds = timed(root, loader)
                print(f"{n:>7} {name:>12} {seconds:>8.2f} {n / seconds:>9.0f}", flush=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10000])
