"""Fixtures of the content tests: a valid minimal tree in tmp_path (see contenttree.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from contenttree import Tree, write_minimal_tree


@pytest.fixture
def tree(tmp_path: Path) -> Tree:
    """A fresh, valid, warning-free minimal tree."""
    return write_minimal_tree(tmp_path / "content")
