"""Search test helpers: the relevance sets, query runners for both engines, metric summaries."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent


#: Queries of every shape that must never raise or answer with an error, in either engine.
NASTY_QUERIES = [
    "",
    "   ",
    "\t\n",
    "办" * 500,
    "开饭店" * 200,
    "😀🏠🚗",
    "身份证😀丢了",
    '" * ( ) : AND OR NOT',
    "AND",
    "OR NOT",
    "title:身份证",
    "身份证*",
    "*",
    "?",
    "(((",
    ".*[a-z]+$",
    "^(a+)+$",
    "\\",
    "'; DROP TABLE items; --",
    "1' OR '1'='1",
    "%_%",
    "<script>alert(1)</script>",
    "ＳＦＺ",
    "\x00\x01",
    "null",
]


def load_relevance(name: str) -> list[dict[str, Any]]:
    return yaml.safe_load((HERE / name).read_text("utf-8"))


def score(cases: list[dict[str, Any]], ranked: Callable[[str], list[str]]) -> dict[str, Any]:
    """hit@3 and MRR (over the first 10) of ``ranked`` (query → ids), pinyin queries apart."""
    out: dict[str, Any] = {}
    for group in ("words", "pinyin"):
        chosen = [c for c in cases if (c["kind"] == "pinyin") == (group == "pinyin")]
        hits, rr, misses = 0, 0.0, []
        for case in chosen:
            ids = ranked(case["q"])[:10]
            rank = next((i + 1 for i, x in enumerate(ids) if x in case["expect"]), None)
            hits += bool(rank and rank <= 3)
            rr += 1 / rank if rank else 0.0
            if not rank or rank > 3:
                misses.append((case["q"], ids[:3], case["expect"]))
        n = max(1, len(chosen))
        out[group] = {"n": len(chosen), "hit@3": hits / n, "mrr": rr / n, "misses": misses}
    return out


def report(engine: str, tree: str, metrics: dict[str, Any]) -> str:
    lines = [f"[search relevance] {engine} on {tree}:"]
    for group, m in metrics.items():
        lines.append(f"  {group:6} n={m['n']:3}  hit@3={m['hit@3']:.3f}  MRR={m['mrr']:.3f}")
        lines += [f"    miss: {q!r} → {got} (expected {want})" for q, got, want in m["misses"]]
    return "\n".join(lines)


class PagefindRunner:
    """Queries the real Pagefind bundle of a served site from Chromium, through the page's own JS."""

    def __init__(self, page: Any, base_url: str):
        self.page = page
        page.goto(f"{base_url}/search/")

    def run(self, query: str, filters: dict[str, str] | None = None) -> dict[str, Any]:
        return self.page.evaluate(
            """async ([q, filters]) => {
              const pf = await import('/pagefind/pagefind.js');
              if (!window.__table) await pf.options({noWorker: true});  // as search.js does
              const sq = await import('/static/js/search-query.js');
              window.__table = window.__table || await (await fetch('/pagefind/sunshine-query.json')).json();
              const found = await sq.runSearch(pf, q, window.__table, filters);
              const top = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
              return {total: found.total, ids: top.map((d) => d.meta.id), urls: top.map((d) => d.url)};
            }""",
            [query, filters or {}],
        )

    def ids(self, query: str) -> list[str]:
        return self.run(query)["ids"]


def write_tree(spec: dict[str, Any], root: Path) -> Path:
    """Write ``spec`` (heldout.yaml's shape) as a content tree that follows the contract."""
    root.mkdir(parents=True, exist_ok=True)

    def dump(path: Path, data: Any) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")

    dump(root / "site.yaml", spec["site"])
    for dept_id, name in spec["departments"].items():
        dump(root / "departments" / f"{dept_id}.yaml", {"name": name, "level": "县级"})
    for n, item in enumerate(spec["items"]):
        depth = item.get("online", 2)
        dump(
            root / "items" / f"{item['id']}.yaml",
            {
                "name": item["name"],
                "code": f"HT-{n:04d}",
                "type": item["type"],
                "department": item["dept"],
                "status": item.get("status", "在办"),
                "audience": "自然人",
                "basis": [{"law": "《中华人民共和国行政许可法》", "article": "第十二条"}],
                "conditions": f"申请**{item['name']}**应当符合法定条件，材料齐全。",
                "materials": [
                    {"name": "申请人身份证明", "form": "原件和复印件"},
                    {"name": f"{item['name']}申请表"},
                ],
                "process": [{"step": "受理"}, {"step": "审核"}, {"step": "办结"}],
                "time_limit": {"legal": 20, "promised": 5},
                "fees": [],
                "visits": 0 if depth == 4 else 1,
                "online": {"depth": depth},
                "keywords": item["kw"],
                "updated": "2024-01-01",
            },
        )
    first = next(iter(spec["departments"]))
    dump(root / "windows" / "zonghe.yaml", {"name": "综合受理", "number": "1", "departments": [first]})
    (root / "news").mkdir(exist_ok=True)
    (root / "news" / "2024-01-02-kaiye.md").write_text(
        "---\ntitle: 中心开业\ndate: 2024-01-02\n---\n中心正式开业。\n", "utf-8"
    )
    (root / "pages").mkdir(exist_ok=True)
    (root / "pages" / "xuzhi.md").write_text("---\ntitle: 办事须知\n---\n请带好身份证件。\n", "utf-8")
    dump(root / "synonyms.yaml", spec["synonyms"])
    return root
