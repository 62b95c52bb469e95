"""Relevance of both engines on the demo and on a held-out tree: hit@3 ≥ 95% (pinyin reported apart)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from searchkit import load_relevance, report, score
from staticserver import served

from search.indexer import whoosh_dir
from search.whoosh_index import WhooshSearch

THRESHOLD = 0.95


def _check(engine: str, tree: str, cases: list[dict[str, Any]], ranked: Callable[[str], list[str]]) -> None:
    metrics = score(cases, ranked)
    print("\n" + report(engine, tree, metrics))
    assert metrics["words"]["n"] >= 1
    assert metrics["words"]["hit@3"] >= THRESHOLD, report(engine, tree, metrics)


def _whoosh(site: Path) -> Callable[[str], list[str]]:
    searcher = WhooshSearch(whoosh_dir(site))
    return lambda q: [h.id for h in searcher.search(q, limit=10).results]


def test_demo_set_is_big_enough() -> None:
    cases = load_relevance("relevance_demo.yaml")
    assert len([c for c in cases if c["kind"] != "pinyin"]) >= 50
    assert all(c["expect"] for c in cases)


def test_whoosh_demo(built_site: Path) -> None:
    _check("whoosh", "demo", load_relevance("relevance_demo.yaml"), _whoosh(built_site))


def test_whoosh_heldout(heldout_site: Path, heldout: tuple[Path, list[dict[str, Any]]]) -> None:
    _check("whoosh", "held-out", heldout[1], _whoosh(heldout_site))


@pytest.mark.browser
def test_pagefind_demo(static_url: str, pagefind_runner: Callable[[str], Any]) -> None:
    runner = pagefind_runner(static_url)
    _check("pagefind", "demo", load_relevance("relevance_demo.yaml"), runner.ids)


@pytest.mark.browser
def test_pagefind_heldout(
    heldout_site: Path, heldout: tuple[Path, list[dict[str, Any]]], pagefind_runner: Callable[[str], Any]
) -> None:
    with served(heldout_site) as url:
        _check("pagefind", "held-out", heldout[1], pagefind_runner(url).ids)


def test_withdrawn_item_ranks_below_active(heldout_site: Path) -> None:
    ids = _whoosh(heldout_site)("土地证")
    assert ids.index("budongchan-shouci") < ids.index("jiu-tudi-zheng")
