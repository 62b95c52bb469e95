"""Fixtures of the search tests: the held-out tree (on disk and built) and the Pagefind runner."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from searchkit import HERE, PagefindRunner, write_tree


@pytest.fixture
def pagefind_runner(page_factory: Callable[..., Any]) -> Iterator[Callable[[str], PagefindRunner]]:
    def make(base_url: str) -> PagefindRunner:
        return PagefindRunner(page_factory(), base_url)

    yield make


@pytest.fixture(scope="session")
def heldout(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """The held-out tree on disk and its queries."""
    spec = yaml.safe_load((HERE / "heldout.yaml").read_text("utf-8"))
    return write_tree(spec, tmp_path_factory.mktemp("heldout") / "content"), spec["queries"]


@pytest.fixture(scope="session")
def heldout_site(
    heldout: tuple[Path, list[dict[str, Any]]], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The held-out tree built by the real pipeline (pages, Pagefind bundle, Whoosh index)."""
    from sunshine.pipeline import build_site

    out = tmp_path_factory.mktemp("heldout-built") / "site"
    build_site(heldout[0], out)
    return out
