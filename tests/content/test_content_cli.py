"""`build.py check` and `build.py build` on broken and valid trees, as an editor runs them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from contenttree import I, Tree

from sunshine import REPO_DIR

LINE = re.compile(r"^(warning: )?[^:\s][^:]*(:\d+)?: (\S+: )?.+$")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO_DIR / "build.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO_DIR,
    )


def test_check_valid_tree_exits_0(tree: Tree) -> None:
    result = run("check", "--content", str(tree.root))
    assert result.returncode == 0, result.stderr
    assert "OK — 1 items, 1 windows, 1 departments, 1 news, 1 pages" in result.stdout
    assert result.stderr == ""


def test_check_broken_tree_lists_every_problem_and_exits_1(tree: Tree) -> None:
    tree.edit(I, "type: 行政许可", "type: 行政许否")
    tree.edit(I, "materials:", "matrials:")
    tree.write("items/empty.yaml", "")
    result = run("check", "--content", str(tree.root))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[:4] == [
        "items/canyin-xuke.yaml:3: type: “行政许否”不在允许范围 (not one of the allowed words) (use one of: "
        "'行政许可', '行政给付', '行政确认', '行政裁决', '行政奖励', '行政征收', '其他行政权力', "
        "'公共服务' or '便民服务')",
        "items/canyin-xuke.yaml:18: materials: 缺少必填字段“申请材料” (required) "
        '(is "matrials" a typo for "materials"?)',
        'items/canyin-xuke.yaml:18: matrials: 未知字段 (unknown key) (did you mean "materials"?)',
        "items/empty.yaml: 文件为空 (empty file) (delete it or fill in its fields)",
    ]
    assert lines[-1] == "4 error(s); nothing was written."


def test_build_broken_tree_writes_nothing(tree: Tree, tmp_path: Path) -> None:
    tree.write(I, "- just\n- a list\n")
    out = tmp_path / "out"
    result = run("build", "--content", str(tree.root), "--out", str(out))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].startswith("items/canyin-xuke.yaml:1: 顶层应为")
    assert not out.exists()
    assert not list(tmp_path.glob(".out.building-*"))


def test_check_nasty_inputs_never_traceback(tree: Tree) -> None:
    """A tree full of hostile files: every line of stderr is a problem line, never a traceback."""
    tree.write("items/bytes.yaml", bytes(range(256)))
    tree.write("items/nul.yaml", b"name: \x00\x01\x02\n")
    tree.write("items/scalar.yaml", "42\n")
    tree.write("items/deep.yaml", "a: " + "[" * 2000 + "]" * 2000 + "\n")
    tree.write("items/keys.yaml", "1: a\n~: b\ntrue: c\n2010-01-01: d\n")
    tree.write("items/docs.yaml", "a: 1\n---\nb: 2\n---\nc: 3\n")
    tree.write(
        "items/bomb.yaml",
        "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
        + "".join(
            f"{c}: &{c} [{','.join(['*' + p] * 10)}]\n" for p, c in zip("abcdefg", "bcdefgh", strict=True)
        ),
    )
    tree.write("items/recursive.yaml", "a: &a [*a]\n")
    tree.write("items/tag.yaml", "name: !!python/object:os.system echo\n")
    tree.write("items/huge.yaml", "visits: 1" + "0" * 10000 + "\n")
    (tree.root / "items/dir.yaml").mkdir()
    (tree.root / "items/loop.yaml").symlink_to(tree.root / "items/loop.yaml")
    (tree.root / "news/2010-01-01-x.md").write_text("---\n- 1\n---\n", encoding="utf-8")
    result = run("check", "--content", str(tree.root))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert all(LINE.match(line) for line in lines[:-1]), lines
    for name in (
        "bytes",
        "nul",
        "scalar",
        "deep",
        "keys",
        "docs",
        "bomb",
        "recursive",
        "tag",
        "huge",
        "dir",
        "loop",
    ):
        assert any(line.startswith(f"items/{name}.yaml") for line in lines), name


def test_check_missing_folder_exits_1(tmp_path: Path) -> None:
    result = run("check", "--content", str(tmp_path / "none"))
    assert result.returncode == 1
    assert "内容目录不存在" in result.stderr and "Traceback" not in result.stderr
