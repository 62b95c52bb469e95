"""City benchmark: 14 centers × 700 items (≈ 10k) and a 200-entry catalog — full build and first static query.

    .venv/bin/python bench/city_bench.py [--centers 14] [--items 700] [--catalog 200] [--no-browser]

Writes a city-wide tree (CONTENT-SPEC v2) to a temporary folder: the root
center and 13 counties, each with 700 items of which 150 implement a catalog
entry with ``base`` (some adding a material of their own) and the rest are
the center's own, all with a reform round.  Then it runs the whole build
(``build_site``: load, validate, render every center's pages, the city-wide
Pagefind bundle and Whoosh index, each county's own bundle, write) and prints
the time of each stage, and the bytes a static server sends for a citizen's
first query on the portal's search page (``/search/``, every center) and on a
county's own (``/c01/search/``), plain and gzipped as nginx sends them.
Targets: portal ≤ 200 KB gzipped, a center's own ≤ 150 KB.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml
from search_bench import ACTIONS, COLLOQUIAL, SUBJECTS, first_query_bytes

from sunshine.pipeline import build_site

TYPES = ["行政许可", "行政确认", "公共服务", "行政给付"]


def _dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def _site(name: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": f"{name}政务服务中心",
        "level": "县级",
        "address": f"{name}人民路 1 号",
        "phone": "0000-1234567",
        "complaint_phone": "0000-7654321",
        "hours": "工作日 9:00—17:00",
        **extra,
    }


def write_city(root: Path, centers: int, items: int, catalog: int, seed: int = 11) -> Path:
    """A city of ``centers`` centers (the root included) × ``items`` items and a ``catalog``-entry catalog."""
    rnd = random.Random(seed)
    entries = []
    for n in range(catalog):
        subject, action = SUBJECTS[n % len(SUBJECTS)], ACTIONS[(n // len(SUBJECTS)) % len(ACTIONS)]
        entry_id = f"jb-{n:03d}"
        entries.append(entry_id)
        _dump(
            root / "catalog" / f"{entry_id}.yaml",
            {
                "name": f"{subject}{action}（基本目录第{n}号）",
                "code": f"JB-{n:04d}",
                "type": TYPES[n % len(TYPES)],
                "basis": [{"law": f"《{subject}管理条例》", "article": f"第{n % 50 + 1}条"}],
                "conditions": f"申请{subject}{action}应当具备法定条件。" * 3,
                "materials": [
                    {"name": "申请人身份证"},
                    {"name": f"{subject}{action}申请表"},
                    {"name": "相关证明"},
                ],
                "process": [{"step": "受理"}, {"step": "审核"}, {"step": "决定"}],
                "time_limit": {"legal": 20},
                "fees": [],
                "keywords": [rnd.choice(COLLOQUIAL), f"{subject}{action}"],
            },
        )
    ids = [f"c{n:02d}" for n in range(1, centers)]
    rounds = [{"round": 1, "name": "第一轮清理", "date": "2011-09-15"}]
    _dump(root / "site.yaml", _site("基准市", level="市级", centers=ids, reform_rounds=rounds))
    code = 0
    for center in ["", *ids]:
        base = root / "centers" / center if center else root
        if center:
            _dump(base / "site.yaml", _site(f"基准{center}县"))
        for d in range(20):
            _dump(base / "departments" / f"d{d}.yaml", {"name": f"第{d}局", "level": "县级"})
        for w in range(10):
            _dump(
                base / "windows" / f"w{w}.yaml",
                {"name": f"第{w}窗口", "number": str(w + 1), "departments": [f"d{w * 2}", f"d{w * 2 + 1}"]},
            )
        implemented = rnd.sample(entries, min(150, len(entries)))
        for i in range(items):
            code += 1
            department = rnd.randrange(20)
            action = rnd.choice(["保留"] * 14 + ["调整"] * 2 + ["取消"] * 3 + ["下放", "合并"])
            item: dict[str, Any] = {
                "code": f"BC-{code:06d}",
                "department": f"d{department}",
                "windows": [f"w{department // 2}"],
                "status": {"取消": "已取消", "合并": "已取消", "下放": "已下放"}.get(action, "在办"),
                "changes": [{"date": "2011-09-15", "action": action, "round": 1}],
                "time_limit": {"promised": rnd.choice([0, 3, 5, 10, 15])},
                "visits": rnd.choice([1, 1, 2]),
                "updated": "2012-01-01",
            }
            if i < len(implemented):
                item["base"] = implemented[i]
                item_id = implemented[i]
                if rnd.random() < 0.2:
                    item["materials"] = [{"name": "申请人身份证"}, {"name": "村委会证明"}]
            else:
                subject, act = rnd.choice(SUBJECTS), rnd.choice(ACTIONS)
                name = f"{subject}{act}（{center or '市'}第{i}号）"
                item_id = f"i{i}"
                item.update(
                    name=name,
                    type=rnd.choice(TYPES),
                    audience=rnd.choice(["自然人", "法人", "自然人和法人"]),
                    basis=[{"law": f"《{subject}管理条例》", "article": f"第{rnd.randrange(1, 60)}条"}],
                    conditions=f"申请{name}应当具备法定条件。" * 5,
                    materials=[{"name": "申请人身份证"}, {"name": f"{subject}{act}申请表"}],
                    process=[{"step": "受理"}, {"step": "审核"}],
                    fees=[],
                    online={"depth": 2, "url": "https://example.gov.cn/wsbs"},
                    keywords=[*rnd.sample(COLLOQUIAL, 2), f"{subject}{act}"],
                )
            _dump(base / "items" / f"{item_id}.yaml", item)
    _dump(root / "synonyms.yaml", {"餐饮许可": ["开饭店", "开餐馆"], "户口迁移": ["迁户口"]})
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--centers", type=int, default=14)
    parser.add_argument("--items", type=int, default=700)
    parser.add_argument("--catalog", type=int, default=200)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        t = time.perf_counter()
        content = write_city(tmp_path / "content", args.centers, args.items, args.catalog)
        print(
            f"wrote {args.centers} centers × {args.items} items, {args.catalog} catalog entries "
            f"in {time.perf_counter() - t:.1f}s",
            flush=True,
        )
        t = time.perf_counter()
        report = build_site(content, tmp_path / "site")
        total = time.perf_counter() - t
        stages = ", ".join(f"{k} {v:.1f}s" for k, v in report.timings.items())
        print(f"full build {total:.1f}s: {report.pages} pages, {report.files} files ({stages})", flush=True)
        if args.no_browser:
            return
        site = tmp_path / "site"
        for label, path in (("portal /search/", "/search/"), ("county /c01/search/", "/c01/search/")):
            plain = first_query_bytes(site, path=path) / 1024
            gzipped = first_query_bytes(site, path=path, compress=True) / 1024
            print(f"first static query, {label}: {plain:.1f} KB plain, {gzipped:.1f} KB gzip", flush=True)


if __name__ == "__main__":
    main()
