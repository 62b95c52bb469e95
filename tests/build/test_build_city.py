"""Building city-wide trees: the demo city, and a city this project never saw, checked against the contract.

The held-out city is written here from a plan of its rounds, so the figures
its pages must show are counted by hand from the plan, not by the code under test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from sunshine.content import ContentError
from sunshine.pipeline import build_site

# --- the demo city, built once per session ----------------------------------------------------------


def test_demo_city_has_every_center_under_its_prefix(built_site: Path) -> None:
    for prefix in ("", "luochuan/", "yanchuan/"):
        for rel in (
            "index.html",
            "items/index.html",
            "windows/index.html",
            "news/index.html",
            "search/index.html",
        ):
            assert (built_site / prefix / rel).is_file(), prefix + rel
        assert (built_site / prefix / "pagefind" / "pagefind.js").is_file(), prefix
        assert (built_site / prefix / "reform" / "index.html").is_file(), prefix
        assert (built_site / prefix / "news" / "feed.xml").is_file(), prefix
        assert (built_site / prefix / "data" / "items.json").is_file(), prefix
    assert (built_site / "luochuan/items/canyin-fuwu-xuke/index.html").is_file()
    assert (built_site / "catalog/index.html").is_file() and (
        built_site / "catalog/linmu-caifa-xuke/index.html"
    ).is_file()
    for rel in (
        "data/index.html",
        "data/items.csv",
        "data/catalog.json",
        "data/reform.csv",
        "data/items.schema.json",
    ):
        assert (built_site / rel).is_file(), rel
    assert not (built_site / "luochuan" / "catalog").exists()


def test_every_internal_link_of_the_demo_city_resolves(built_site: Path) -> None:
    broken = []
    for page in built_site.rglob("*.html"):
        if "pagefind" in page.parts:
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for tag in soup.select("a[href], link[href]"):
            href = tag["href"].split("#")[0].split("?")[0]
            if not href.startswith("/") or href.endswith("/search/"):
                continue
            target = built_site / href.lstrip("/")
            if href.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.append((str(page.relative_to(built_site)), href))
    assert broken == []


def test_county_bundle_holds_only_the_countys_records(built_site: Path) -> None:
    entry = json.loads((built_site / "luochuan/pagefind/pagefind-entry.json").read_text())
    city = json.loads((built_site / "pagefind/pagefind-entry.json").read_text())
    county_pages = sum(lang["page_count"] for lang in entry["languages"].values())
    city_pages = sum(lang["page_count"] for lang in city["languages"].values())
    assert 300 < county_pages < city_pages


# --- a held-out city ---------------------------------------------------------------------------------

SITE = {
    "name": "{name}政务服务中心",
    "level": "县级",
    "address": "{name}人民路 1 号",
    "phone": "0000-1",
    "complaint_phone": "0000-2",
    "hours": "工作日 9:00—17:00",
}

#: center → (own rounds, plan: [(count, status, [(round, action), …], base or None)])
PLAN: dict[str, tuple[list[int], list[tuple[int, str, list[tuple[int, str]], str | None]]]] = {
    "": (
        [1, 2],
        [
            (4, "在办", [(1, "保留"), (2, "保留")], None),
            (2, "已取消", [(1, "取消")], None),
            (1, "已下放", [(2, "下放")], None),
            (1, "在办", [(2, "调整")], "zhizhao"),
        ],
    ),
    "east": (
        [],
        [
            (7, "已取消", [(2, "取消")], None),
            (3, "已取消", [(2, "合并")], None),
            (10, "在办", [(2, "保留")], None),
            (1, "在办", [(2, "保留")], "zhizhao"),
            (2, "在办", [(2, "新增")], None),
        ],
    ),
    "west": (
        [7],
        [
            (5, "已取消", [(7, "取消")], None),
            (4, "已下放", [(7, "下放")], None),
            (11, "在办", [(7, "调整")], None),
            (3, "在办", [(7, "承接")], None),
            (1, "在办", [(7, "保留")], "zhizhao"),
        ],
    ),
}
#: What the contract's definitions give for the plan, counted by hand:
#: center → round → (清理事项数, 取消, 下放, 合并, 保留, 新增, 承接, 精简率)
EXPECTED = {
    "": {1: ("6", "2", "0", "0", "4", "0", "0", "33.3%"), 2: ("6", "0", "1", "0", "5", "0", "0", "16.7%")},
    "east": {1: ("0", "0", "0", "0", "0", "0", "0", "—"), 2: ("21", "7", "0", "3", "11", "2", "0", "47.6%")},
    "west": {7: ("21", "5", "4", "0", "12", "0", "3", "42.9%")},
}
NAMES = {"": "平安市", "east": "东县", "west": "西县"}


def _dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def write_heldout_city(root: Path) -> Path:
    """A city tree written to CONTENT-SPEC v2 by hand-rolled rules, unlike the demo's script."""
    code = 0
    _dump(
        root / "catalog" / "zhizhao.yaml",
        {
            "name": "营业执照核发",
            "code": "JB-0001",
            "type": "行政许可",
            "basis": [{"law": "《公司登记管理条例》"}],
            "conditions": "符合登记条件。",
            "materials": [{"name": "登记申请书"}, {"name": "身份证明"}],
            "process": [{"step": "受理"}, {"step": "核准"}],
            "time_limit": {"legal": 15},
            "fees": [],
        },
    )
    for center, (rounds, plan) in PLAN.items():
        base = root / "centers" / center if center else root
        site = {k: v.format(name=NAMES[center]) for k, v in SITE.items()}
        if not center:
            site.update(level="市级", id="pingan", centers=["east", "west"])
        site["reform_rounds"] = [{"round": r, "name": f"第{r}轮清理"} for r in rounds]
        if not rounds:
            del site["reform_rounds"]
        _dump(base / "site.yaml", site)
        _dump(base / "departments" / "ju.yaml", {"name": f"{NAMES[center]}审批局", "level": "县级"})
        _dump(base / "windows" / "w1.yaml", {"name": "综合窗口", "number": "1", "departments": ["ju"]})
        for count, status, history, catalog in plan:
            for _ in range(count):
                code += 1
                item: dict[str, Any] = {
                    "code": f"HC-{code:04d}",
                    "department": "ju",
                    "windows": ["w1"],
                    "status": status,
                    "changes": [{"date": "2012-01-01", "action": a, "round": r} for r, a in history],
                    "time_limit": {"promised": 3 + code % 9},
                    "updated": "2012-01-02",
                }
                if catalog:
                    item["base"] = catalog
                else:
                    item.update(
                        name=f"{NAMES[center]}事项{code}",
                        type="行政许可",
                        basis=[{"law": "《条例》"}],
                        conditions="条件。",
                        materials=[],
                        process=[{"step": "受理"}],
                        fees=[],
                    )
                _dump(base / "items" / f"{'zhizhao' if catalog else f'shixiang-{code}'}.yaml", item)
    return root


@pytest.fixture(scope="module")
def heldout_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    content = write_heldout_city(tmp_path_factory.mktemp("heldout-city") / "content")
    out = tmp_path_factory.mktemp("heldout-city-built") / "site"
    build_site(content, out)
    return out


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def test_heldout_city_reform_pages_show_the_contracts_figures(heldout_city: Path) -> None:
    table = _soup(heldout_city / "reform/index.html").select_one("#city-caption").find_parent("table")
    shown = {}
    for tr in table.select("tbody tr"):
        cells = [" ".join(c.get_text().split()) for c in tr.select("th, td")]
        shown[(cells[0], cells[1])] = tuple(cells[2:])
    for center, rounds in EXPECTED.items():
        for number, figures in rounds.items():
            assert shown[(f"{NAMES[center]}政务服务中心", f"第{number}轮清理")] == figures, (center, number)
    county = _soup(heldout_city / "west/reform/index.html").select_one("#rounds-caption").find_parent("table")
    cells = [" ".join(c.get_text().split()) for c in county.select("tbody tr")[0].select("th, td")]
    assert tuple(cells[1:]) == EXPECTED["west"][7]


def test_heldout_city_comparison_and_data(heldout_city: Path) -> None:
    soup = _soup(heldout_city / "catalog/zhizhao/index.html")
    rows = soup.select("table.compare-table tbody tr")
    assert [" ".join(r.select_one("th").get_text().split()) for r in rows] == [
        "平安市政务服务中心",
        "东县政务服务中心",
        "西县政务服务中心",
    ]
    assert [r.select_one("a[href$='/items/zhizhao/']")["href"] for r in rows] == [
        "/items/zhizhao/",
        "/east/items/zhizhao/",
        "/west/items/zhizhao/",
    ]
    data = json.loads((heldout_city / "data/items.json").read_text())
    assert {i["center"] for i in data["items"]} == {"pingan", "east", "west"}
    assert (heldout_city / "east/index.html").is_file() and (heldout_city / "west/pagefind").is_dir()


@pytest.mark.parametrize(
    ("change", "path", "line", "message"),
    [
        (lambda r: (r / "centers" / "north").mkdir(), "site.yaml", 8, "centers/north/ 未列入 centers"),
        (lambda r: (r / "centers/west/site.yaml").unlink(), "centers/west/site.yaml", None, "缺少 site.yaml"),
        (
            lambda r: (r / "centers/east/items/zhizhao.yaml").write_text(
                (r / "centers/east/items/zhizhao.yaml")
                .read_text("utf-8")
                .replace("base: zhizhao", "base: zhizao"),
                "utf-8",
            ),
            "centers/east/items/zhizhao.yaml",
            13,
            "基本目录事项“zhizao”不存在",
        ),
        (
            lambda r: (r / "centers/west/items/zhizhao.yaml").write_text(
                (r / "centers/west/items/zhizhao.yaml")
                .read_text("utf-8")
                .replace("promised: ", "promised: 9"),
                "utf-8",
            ),
            "centers/west/items/zhizhao.yaml",
            11,
            "超过基本目录 catalog/zhizhao.yaml 的法定时限 15 天",
        ),
    ],
)
def test_heldout_city_broken_variants_are_refused(
    tmp_path: Path, change, path: str, line: int | None, message: str
) -> None:
    content = write_heldout_city(tmp_path / "content")
    change(content)
    with pytest.raises(ContentError) as caught:
        build_site(content, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    found = [p for p in caught.value.problems if p.path == path and message in p.message]
    assert found, caught.value.report()
    assert found[0].line == line
