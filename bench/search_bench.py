"""Search benchmark: build both indexes for synthetic centers of 1k and 10k items, then measure.

    .venv/bin/python bench/search_bench.py [--sizes 1000 10000] [--no-browser]

Prints index build times, server query latency p50/p95 (the Whoosh searcher behind
/api/search, over a mix of citizen queries) and the bytes Chromium downloads for a
first static query (Playwright network events against the built site).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "search"))
from searchkit import serve_directory  # noqa: E402

from search.documents import build_documents, vocabulary  # noqa: E402
from search.pagefind_index import build_pagefind  # noqa: E402
from search.text import Synonyms, add_words  # noqa: E402
from search.whoosh_index import WhooshSearch, build_whoosh  # noqa: E402
from sunshine.content import read_content  # noqa: E402

SUBJECTS = [
    "餐饮",
    "药品",
    "烟草",
    "户口",
    "身份证",
    "婚姻",
    "养老",
    "医保",
    "低保",
    "不动产",
    "道路运输",
    "建筑",
    "环保",
    "税务",
    "公积金",
    "残疾人",
    "计划生育",
    "劳动",
    "出入境",
    "驾驶证",
    "食品",
    "卫生",
    "教育",
    "林业",
]
ACTIONS = ["许可", "登记", "核发", "备案", "审批", "确认", "补贴发放", "变更", "注销", "年检"]
COLLOQUIAL = ["开饭店", "办证", "补办", "迁户口", "领证", "开药店", "报销", "过户", "到期换证", "开店"]
QUERIES = [
    "开饭店要办什么证",
    "身份证丢了",
    "新农合",
    "迁户口",
    "餐饮许可",
    "不动产登记",
    "养老补贴怎么领",
    "驾驶证到期换证",
    "税务登记",
    "低保",
    "办证",
    "建筑审批",
    "sfz",
    "公积金变更需要什么材料",
]


def write_center(root: Path, n: int, seed: int = 7) -> Path:
    """A content tree of ``n`` items written to the contract."""
    rnd = random.Random(seed)
    dump = lambda p, d: (
        p.parent.mkdir(parents=True, exist_ok=True),  # noqa: E731
        p.write_text(yaml.safe_dump(d, allow_unicode=True), "utf-8"),
    )
    dump(
        root / "site.yaml",
        {
            "name": "基准市政务服务中心",
            "level": "市级",
            "address": "基准路 1 号",
            "phone": "0000-1234567",
            "complaint_phone": "0000-7654321",
            "hours": "工作日",
        },
    )
    for d in range(40):
        dump(root / "departments" / f"d{d}.yaml", {"name": f"基准市第{d}局", "level": "市级"})
    for i in range(n):
        subject, action = rnd.choice(SUBJECTS), rnd.choice(ACTIONS)
        name = f"{subject}{action}（第{i}号）"
        dump(
            root / "items" / f"i{i}.yaml",
            {
                "name": name,
                "code": f"B-{i:06d}",
                "type": rnd.choice(["行政许可", "行政确认", "公共服务"]),
                "department": f"d{rnd.randrange(40)}",
                "status": rnd.choice(["在办"] * 9 + ["已取消"]),
                "audience": rnd.choice(["自然人", "法人", "自然人和法人"]),
                "basis": [{"law": f"《{subject}管理条例》", "article": f"第{rnd.randrange(1, 60)}条"}],
                "conditions": f"申请{name}应当具备法定条件。" * 5,
                "materials": [{"name": "申请人身份证"}, {"name": f"{subject}{action}申请表"}],
                "process": [{"step": "受理"}, {"step": "审核"}],
                "time_limit": {"promised": 5},
                "fees": [],
                "online": {"depth": 2},
                "keywords": rnd.sample(COLLOQUIAL, 2) + [f"{subject}{action}"],
                "updated": "2024-01-01",
            },
        )
    dump(root / "synonyms.yaml", {"餐饮许可": ["开饭店", "开餐馆"], "户口迁移": ["迁户口"]})
    return root


def first_query_bytes(site: Path, query: str = "开饭店要办什么证") -> int:
    from playwright.sync_api import sync_playwright

    server, url = serve_directory(site)
    total = 0
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(f"{url}/search/")  # the page itself is not part of the query's cost
            sizes: list[int] = []
            page.on(
                "requestfinished",
                lambda r: sizes.append(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"]),
            )
            page.evaluate(
                """async (q) => { const pf = await import('/pagefind/pagefind.js');
                const sq = await import('/static/js/search-query.js');
                const t = await (await fetch('/pagefind/sunshine-query.json')).json();
                const r = await sq.runSearch(pf, q, t); await Promise.all(r.results.slice(0, 10).map(x => x.data())); }""",
                query,
            )
            total = sum(sizes)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return total


def run(n: int, browser: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        content = read_content(write_center(tmp_path / "content", n))
        site = tmp_path / "site"
        (site / "static" / "js").mkdir(parents=True)
        src = Path(__file__).resolve().parent.parent / "site" / "static" / "js" / "search-query.js"
        (site / "static" / "js" / "search-query.js").write_text(src.read_text("utf-8"), "utf-8")
        (site / "search").mkdir()
        (site / "search" / "index.html").write_text("<!doctype html><title>s</title>", "utf-8")
        words = vocabulary(content)
        add_words(words)
        docs = build_documents(content)
        t = time.perf_counter()
        build_pagefind(docs, site, Synonyms(content.synonyms), words)
        pagefind_s = time.perf_counter() - t
        t = time.perf_counter()
        build_whoosh(docs, site / "_search" / "whoosh", Synonyms(content.synonyms), words)
        whoosh_s = time.perf_counter() - t
        searcher = WhooshSearch(site / "_search" / "whoosh")
        for q in QUERIES:
            searcher.search(q)
        times = []
        for _ in range(10):
            for q in QUERIES:
                t = time.perf_counter()
                searcher.search(q, limit=10)
                times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f"{n:6} items: pagefind build {pagefind_s:6.1f}s  whoosh build {whoosh_s:6.1f}s  "
            f"server p50 {statistics.median(times):5.1f} ms  p95 {p95:5.1f} ms",
            flush=True,
        )
        if browser:
            print(
                f"{n:6} items: first static query transferred {first_query_bytes(site) / 1024:.1f} KB",
                flush=True,
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    for n in args.sizes:
        run(n, not args.no_browser)


if __name__ == "__main__":
    main()
