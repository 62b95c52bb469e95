"""Property test: whatever an editor (or a cat on the keyboard) does to a valid tree, no traceback.

Hypothesis mutates the files of the minimal tree — cutting, duplicating and
replacing lines, inserting random text or bytes, swapping values — and the
only acceptable outcomes are a Content or a ContentError whose problems all
name a file of the tree.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from contenttree import MINIMAL_TREE, write_minimal_tree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sunshine.content import Content, ContentError, read_content

TEXT_FILES = sorted(rel for rel, data in MINIMAL_TREE.items() if isinstance(data, str))
JUNK = st.sampled_from(
    [
        "",
        ":",
        "- ",
        "  ",
        "\t",
        "---",
        "&a",
        "*a",
        "<<: *a",
        "? x",
        "[",
        "}",
        "!!binary",
        "null",
        "~",
        "0x1F",
        "2010-02-30",
        "1e999",
        "9" * 400,
        "yes",
        "\ufeff",
        "\x00",
        "\u2028",
        "'",
        '"',
        "#",
        "|",
        ">",
        "%YAML 1.2",
    ]
)
LINE_EDIT = st.one_of(
    st.tuples(st.just("drop"), st.integers(0, 60)),
    st.tuples(st.just("dup"), st.integers(0, 60)),
    st.tuples(st.just("insert"), st.integers(0, 60), st.one_of(JUNK, st.text(max_size=30))),
    st.tuples(st.just("value"), st.integers(0, 60), st.one_of(JUNK, st.text(max_size=20))),
    st.tuples(st.just("indent"), st.integers(0, 60), st.integers(-4, 4)),
)
FILE_EDIT = st.one_of(
    st.tuples(st.sampled_from(TEXT_FILES), st.lists(LINE_EDIT, min_size=1, max_size=4)),
    st.tuples(st.sampled_from(TEXT_FILES), st.binary(max_size=200)),
)


def _mutate(text: str, edits: list[tuple]) -> str:  # type: ignore[type-arg]
    lines = text.split("\n")
    for edit in edits:
        i = edit[1] % max(len(lines), 1)
        if edit[0] == "drop" and lines:
            del lines[i]
        elif edit[0] == "dup" and lines:
            lines.insert(i, lines[i])
        elif edit[0] == "insert":
            lines.insert(i, edit[2])
        elif edit[0] == "value" and lines:
            key, sep, _ = lines[i].partition(": ")
            lines[i] = key + (sep or ": ") + edit[2]
        elif edit[0] == "indent" and lines:
            lines[i] = " " * max(edit[2], 0) + lines[i][max(-edit[2], 0) :]
    return "\n".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FILE_EDIT, min_size=1, max_size=3))
def test_any_mutation_gives_content_or_problems(edits: list[tuple]) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as tmp:
        tree = write_minimal_tree(Path(tmp) / "content")
        for rel, change in edits:
            if isinstance(change, bytes):
                tree.write(rel, change)
            else:
                text = (tree.root / rel).read_bytes().decode("utf-8", "surrogateescape")
                tree.write(rel, _mutate(text, change).encode("utf-8", "surrogateescape"))
        try:
            result = read_content(tree.root)
        except ContentError as exc:
            assert exc.problems
            for problem in exc.problems + exc.warnings:
                assert (tree.root / problem.path).exists() or problem.path == "site.yaml", problem
                assert "\n" not in str(problem)
                assert problem.line is None or problem.line >= 1
        else:
            assert isinstance(result, Content)
