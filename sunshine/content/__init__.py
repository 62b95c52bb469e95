"""Content: the contract's models, and reading a content tree into them."""

from __future__ import annotations

from pathlib import Path

from .load import load_tree
from .problems import ContentError, Problem
from .tree import Content
from .validate import validate

__all__ = ["Content", "ContentError", "Problem", "read_content"]


def read_content(root: Path | str) -> Content:
    """Load and validate the tree at ``root``; raise ContentError with every problem found."""
    return validate(load_tree(Path(root)))
