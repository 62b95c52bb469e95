"""Precision in both engines: nonsense finds nothing, parts of a word never match alone, names rank first."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from search.indexer import whoosh_dir
from search.whoosh_index import WhooshSearch

#: Queries that name nothing in the demo: Latin nonsense, and Chinese words no record holds.
NONSENSE = ["asdfgh", "zzzzqqq", "qwertyuiop", "xyzzy", "火星移民", "量子纠缠", "火星移民xyz"]

#: (query, the item that must come first): the name or keywords hold the query.
FIRST = [
    ("开出租", "chuzuche-jingyingquan"),  # its keywords hold 开出租; 代开普通发票 only holds 开
    ("卫生许可", "gonggong-changsuo-weisheng-xuke"),  # the item, not the 卫生 window
    ("身份证", "jumin-shenfenzheng"),
    ("二手房过户在哪里办", "fangwu-zhuanyi-dengji"),
]


@pytest.fixture(scope="module")
def whoosh(built_site: Path) -> Any:
    searcher = WhooshSearch(whoosh_dir(built_site))
    yield searcher
    searcher.close()


@pytest.mark.parametrize("query", NONSENSE)
def test_whoosh_finds_nothing_for_nonsense(whoosh: Any, query: str) -> None:
    assert whoosh.search(query).total == 0


@pytest.mark.parametrize(("query", "first"), FIRST)
def test_whoosh_ranks_names_and_keywords_first(whoosh: Any, query: str, first: str) -> None:
    assert whoosh.search(query).results[0].id == first


def test_whoosh_ranks_by_name_then_keywords_then_text(whoosh: Any) -> None:
    from sunshine.content import read_content

    content = read_content(Path(__file__).parents[2] / "content")
    hits = whoosh.search("身份证", limit=50, filters={"center": content.center_id}).results
    items = [content.items[h.id] for h in hits if h.kind == "item"]
    assert len(items) > 10
    tiers = [3 if "身份证" in i.name else 2 if any("身份证" in k for k in i.keywords) else 1 for i in items]
    assert tiers == sorted(tiers, reverse=True), [(i.id, t) for i, t in zip(items, tiers, strict=True)]


def test_whoosh_excerpts_mark_whole_words_from_the_records_own_text(whoosh: Any) -> None:
    hit = whoosh.search("身份证丢了").results[0]
    assert hit.id == "jumin-shenfenzheng"
    assert not re.search(r"[a-z]{2,}", re.sub(r"<[^>]+>", "", hit.snippet))  # no pinyin, no tags
    assert re.findall(r"<mark[^>]*>([^<]+)</mark>", hit.snippet) and "身份证" in hit.snippet
    for marked in re.findall(r"<mark[^>]*>([^<]+)</mark>", hit.snippet):
        assert len(marked) >= 2, hit.snippet


def test_whoosh_marks_paused_items(whoosh: Any) -> None:
    hit = next(h for h in whoosh.search("出租车经营权").results if h.id == "chuzuche-jingyingquan")
    assert hit.status == "暂停" and "暂停办理" in hit.summary


@pytest.mark.browser
def test_pagefind_precision_and_ranking(static_url: str, pagefind_runner: Callable[[str], Any]) -> None:
    runner = pagefind_runner(static_url)
    for query in NONSENSE:
        assert runner.run(query)["total"] == 0, query
    for query, first in FIRST:
        assert runner.ids(query)[0] == first, query
    # Every record found for a word holds that word: no match through a single character of it.
    texts = runner.page.evaluate(
        """async () => {
          const pf = await import('/pagefind/pagefind.js');
          const sq = await import('/static/js/search-query.js');
          const found = await sq.runSearch(pf, '身份证', window.__table, {}, {check: 100});
          const datas = await Promise.all(found.results.map((r) => r.data()));
          return datas.map((d) => d.content.replace(/\\u200b/g, ''));
        }"""
    )
    assert texts and all("身份证" in t for t in texts)
    assert runner.page.console_errors == []
