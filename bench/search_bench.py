"""Search benchmark: build both indexes for synthetic centers of 1k and 10k items, then measure.

    .venv/bin/python bench/search_bench.py [--sizes 1000 10000] [--no-browser]

Prints the time to make the search documents and to build each index, the latency of
GET /api/search (p50/p95 over a mix of citizen queries, warm, through the Flask app on
the prebuilt index) and the bytes a static server sends for a citizen's first query on
the real search page in Chromium.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import math
import random
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import yaml

from search.documents import build_documents, vocabulary
from search.indexer import whoosh_dir
from search.pagefind_index import build_pagefind
from search.text import Synonyms, add_words
from search.whoosh_index import build_whoosh
from sunshine.content import read_content

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

    def dump(path: Path, data: object) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")

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
                "keywords": [*rnd.sample(COLLOQUIAL, 2), f"{subject}{action}"],
                "updated": "2024-01-01",
            },
        )
    dump(root / "synonyms.yaml", {"餐饮许可": ["开饭店", "开餐馆"], "户口迁移": ["迁户口"]})
    return root


class _Tally:
    """The output stream of one response, adding what it writes to its server's count."""

    def __init__(self, stream: Any, server: Any):
        self.stream, self.server = stream, server

    def write(self, data: bytes) -> int:
        self.server.bytes_sent += len(data)
        return self.stream.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


class _CountingHandler(http.server.SimpleHTTPRequestHandler):
    def setup(self) -> None:
        super().setup()
        self.wfile = _Tally(self.wfile, self.server)  # type: ignore[assignment]

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _GzipCountingHandler(_CountingHandler):
    """Compresses text files as nginx does with `gzip on; gzip_types` for scripts, JSON and CSS (README)."""

    COMPRESSED = (".js", ".json", ".css", ".html", ".svg")

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or path.suffix not in self.COMPRESSED:
            return super().do_GET()
        if not path.is_file():
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None


def write_search_page(content_dir: Path, site: Path) -> None:
    """The real static search page of ``content_dir`` and the theme's static files, as built."""
    from sunshine import create_app

    app = create_app({"CONTENT_DIR": str(content_dir), "STATIC_BUILD": True})
    (site / "search").mkdir(parents=True)
    (site / "search" / "index.html").write_bytes(app.test_client().get("/search/").data)
    shutil.copytree(str(app.static_folder), site / "static")


def first_query_bytes(
    site: Path, query: str = "开饭店要办什么证", *, compress: bool = False, path: str = "/search/"
) -> int:
    """Bytes the static server sends for a citizen's first query on the real search page (at ``path``).

    The page (HTML, CSS, its scripts) is loaded first and not counted; then the
    query is typed and submitted, and everything sent until the results show
    (and the network is quiet) is: Pagefind's script, worker, WASM, metadata,
    index chunks, result fragments, and the query table.  Counted at the
    server, as sent: plain, or (``compress``) with scripts, JSON and CSS
    gzipped as a production web server sends them; Pagefind's index files
    and WASM are compressed already.
    """
    from playwright.sync_api import sync_playwright

    handler_class = _GzipCountingHandler if compress else _CountingHandler
    handler = functools.partial(handler_class, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.bytes_sent = 0  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(f"{url}{path}", wait_until="networkidle")
            before = server.bytes_sent  # type: ignore[attr-defined]
            page.fill("#search-q", query)
            page.press("#search-q", "Enter")
            page.wait_for_selector("#search-list .result-title")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
            total = server.bytes_sent - before  # type: ignore[attr-defined]
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return total


def api_latencies(site: Path, content_dir: Path, rounds: int = 10) -> list[float]:
    """Milliseconds per GET /api/search (the Flask view, JSON and all) over the query mix, warm."""
    from sunshine import create_app

    app = create_app({"CONTENT_DIR": str(content_dir), "SEARCH_INDEX_DIR": str(whoosh_dir(site))})
    client = app.test_client()
    for q in QUERIES:
        assert client.get("/api/search", query_string={"q": q}).status_code == 200
    times = []
    for _ in range(rounds):
        for q in QUERIES:
            t = time.perf_counter()
            client.get("/api/search", query_string={"q": q, "limit": "10"})
            times.append((time.perf_counter() - t) * 1000)
    return sorted(times)


def percentile(sorted_values: list[float], share: float) -> float:
    return sorted_values[max(0, math.ceil(len(sorted_values) * share) - 1)]


def run(n: int, browser: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        content_dir = write_center(tmp_path / "content", n)
        content = read_content(content_dir)
        site = tmp_path / "site"
        write_search_page(content_dir, site)
        t = time.perf_counter()
        words = vocabulary(content)
        add_words(words)
        docs = build_documents(content)
        docs_s = time.perf_counter() - t
        t = time.perf_counter()
        build_pagefind(docs, site, Synonyms(content.synonyms), words)
        pagefind_s = time.perf_counter() - t
        t = time.perf_counter()
        build_whoosh(docs, whoosh_dir(site), Synonyms(content.synonyms), words)
        whoosh_s = time.perf_counter() - t
        times = api_latencies(site, content_dir)
        print(
            f"{n:6} items: documents {docs_s:5.1f}s  pagefind build {pagefind_s:5.1f}s  "
            f"whoosh build {whoosh_s:5.1f}s  GET /api/search p50 {statistics.median(times):5.1f} ms  "
            f"p95 {percentile(times, 0.95):5.1f} ms  (n={len(times)})",
            flush=True,
        )
        if browser:
            plain = first_query_bytes(site) / 1024
            gzipped = first_query_bytes(site, compress=True) / 1024
            print(
                f"{n:6} items: first static query transferred {plain:.1f} KB plain, {gzipped:.1f} KB gzip",
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
