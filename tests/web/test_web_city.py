"""The demo city's pages through the test client: portal, county sites, comparison, reform, open data, search.

The demo is 延安市政务服务中心 at the root with 洛川县 and 延川县 under
``centers/``; its reform figures are the counties' published ones, computed
by CONTENT-SPEC's definitions (洛川 323 cleared, 149 cancelled, 54.5%; 延川
252 cleared, 106 cancelled, 146 kept, 42.1%, then 19 cancelled or devolved).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from decimal import Decimal

import jsonschema
import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from sunshine.content import read_content
from sunshine.content.reform import center_rounds
from sunshine.web.city import register_on_time_rates


@pytest.fixture
def page(client: FlaskClient) -> Callable[..., BeautifulSoup]:
    def fetch(path: str, status: int = 200) -> BeautifulSoup:
        response = client.get(path)
        assert response.status_code == status, (path, response.status_code)
        return BeautifulSoup(response.get_data(as_text=True), "lxml")

    return fetch


def _text(node) -> str:  # type: ignore[no-untyped-def]
    return " ".join(node.get_text().split())


def _rows(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[_text(cell) for cell in tr.select("th, td")] for tr in table.select("tbody tr")]


# --- portal and county sites -------------------------------------------------------------------------


def test_portal_is_the_city_centers_home_and_lists_every_center(page) -> None:
    soup = page("/")
    assert _text(soup.select_one("h1")) == "延安市政务服务中心"
    table = soup.select_one(".portal-centers table")
    rows = _rows(table)
    assert [r[0] for r in rows] == ["延安市政务服务中心", "洛川县政务服务中心", "延川县政务服务中心"]
    luochuan, yanchuan = rows[1], rows[2]
    assert "洛川县凤栖镇凤栖街 68 号" in luochuan[1] and "0911-3621166" in luochuan[3]
    assert luochuan[5].startswith("54.5%") and "第二轮" in luochuan[5]
    assert yanchuan[5].startswith("13.0%") and "第五轮" in yanchuan[5]
    links = [a["href"] for a in table.select("tbody th a")]
    assert links == ["/", "/luochuan/", "/yanchuan/"]
    counts = [a["href"] for a in table.select("td[data-label=在办事项] a")]
    assert counts == ["/items/", "/luochuan/items/", "/yanchuan/items/"]
    assert [h.get_text() for h in table.select("thead th")][
        -1
    ] == "精简率（最近一轮）"  # no case data: no 按时办结率


def test_portal_shows_on_time_rates_when_case_data_exists(make_app: Callable[..., Flask]) -> None:
    app = make_app()
    register_on_time_rates(app, lambda city: {"luochuan": Decimal("96.4")})
    soup = BeautifulSoup(app.test_client().get("/").get_data(as_text=True), "lxml")
    table = soup.select_one(".portal-centers table")
    assert [h.get_text() for h in table.select("thead th")][-1] == "按时办结率"
    assert [r[-1] for r in _rows(table)] == ["暂无办件", "96.4%", "暂无办件"]


def test_county_site_keeps_the_url_scheme_under_its_prefix(page) -> None:
    soup = page("/luochuan/")
    assert _text(soup.select_one("h1")) == "洛川县政务服务中心"
    nav = [a["href"] for a in soup.select("nav.main-nav a")]
    assert nav[:5] == [
        "/luochuan/",
        "/luochuan/items/",
        "/luochuan/windows/",
        "/luochuan/departments/",
        "/luochuan/news/",
    ]
    assert "/luochuan/search/" in nav
    assert soup.select_one("nav.main-nav a[aria-current=page]")["href"] == "/luochuan/"
    bar = soup.select_one("nav.citybar")
    assert bar.select_one("a")["href"] == "/" and "延安市政务服务中心" in _text(bar)
    assert soup.select_one('link[type="application/atom+xml"]')["href"] == "/luochuan/news/feed.xml"
    assert soup.select_one(".portal-centers") is None  # the list of centers is the city's


def test_county_item_page_shows_inherited_keys_and_links_within_the_county(page) -> None:
    soup = page("/luochuan/items/canyin-fuwu-xuke/")
    assert _text(soup.select_one("h1")).startswith("餐饮服务许可证核发")
    assert "610629" in _text(soup.select_one("#jiben"))
    assert soup.select_one("#jiben a[href='/luochuan/departments/shiyaojian/']") is not None
    assert soup.select_one("#chuangkou a")["href"] == "/luochuan/windows/shiyaojian/"
    assert "《中华人民共和国食品安全法》" in _text(soup.select_one("#yiju"))  # from the catalog
    assert soup.select_one(".catalog-link a")["href"] == "/catalog/canyin-fuwu-xuke/"
    crumbs = [a["href"] for a in soup.select(".breadcrumbs a")]
    assert crumbs[0] == "/luochuan/"


def test_the_root_center_keeps_todays_urls(page) -> None:
    soup = page("/items/canyin-fuwu-xuke/")
    assert soup.select_one("nav.citybar") is None
    assert soup.select_one("#jiben a[href='/departments/shiyaojian/']") is not None


@pytest.mark.parametrize(
    "path",
    [
        "/nowhere/",
        "/nowhere/items/",
        "/luochuan/catalog/",
        "/luochuan/data/",
        "/city/items/",
        "/luochuan/items/nope/",
    ],
)
def test_unknown_centers_and_root_only_pages_under_a_county_are_404(page, path: str) -> None:
    page(path, status=404)


# --- comparison --------------------------------------------------------------------------------------


def test_catalog_lists_entries_by_how_much_the_centers_differ(page) -> None:
    from sunshine import DEMO_CONTENT
    from sunshine.content.compare import compare_all

    soup = page("/catalog/")
    rows = _rows(soup.select_one("table.catalog-table"))
    expected = compare_all(read_content(DEMO_CONTENT))
    assert [r[0] for r in rows] == [c.entry.name for c in expected]
    differing = [len(c.spreads) for c in expected]
    assert differing == sorted(differing, reverse=True)
    assert differing[0] > differing[-1]


def test_comparison_page_has_a_row_per_center_with_the_spread_and_best_values(page) -> None:
    city = read_content(__import__("sunshine").DEMO_CONTENT)
    soup = page("/catalog/canyin-fuwu-xuke/")
    table = soup.select_one("table.compare-table")
    rows = _rows(table)
    assert [r[0] for r in rows] == ["延安市政务服务中心", "洛川县政务服务中心", "延川县政务服务中心"]
    promised = [c.items["canyin-fuwu-xuke"].time_limit.promised for c in city.all_centers()]
    low, high = min(promised), max(promised)
    spreads = [_text(li) for li in soup.select(".spreads li")]
    assert f"承诺时限 {low}–{high} 个工作日" in spreads
    best = [
        r
        for r, tr in zip(rows, table.select("tbody tr"), strict=True)
        if tr.select_one("[data-label=承诺时限] .best")
    ]
    assert {r[0] for r in best} == {
        c.site.name for c, p in zip(city.all_centers(), promised, strict=True) if p == low
    }
    locals_ = table.select(".badge-local")
    assert locals_ and all(_text(b) == "地方自设" for b in locals_)
    assert table.select_one("a[href='/luochuan/items/canyin-fuwu-xuke/']") is not None
    assert table.select_one("a[href='/luochuan/windows/shiyaojian/']") is not None


def test_centers_not_implementing_an_entry_are_listed(page) -> None:
    soup = page("/catalog/linmu-caifa-xuke/")
    missing = _text(soup.select_one("#missing-h").find_parent("section"))
    assert "延安市政务服务中心" in missing and "洛川县" not in missing
    soup = page("/catalog/huanping-dengjibiao/")
    withdrawn = soup.select("table.compare-table tr.is-withdrawn")
    assert len(withdrawn) == 1 and "已下放" in _text(withdrawn[0])


def test_unknown_catalog_entry_is_404(page) -> None:
    page("/catalog/nope/", status=404)


# --- reform ------------------------------------------------------------------------------------------


def test_city_reform_table_has_the_contracts_figures(page) -> None:
    soup = page("/reform/")
    rows = _rows(soup.select_one("#city-caption").find_parent("table"))
    by_key = {(r[0], r[1]): r[2:] for r in rows}
    # 清理事项数, 取消, 下放, 合并, 保留, 新增, 承接, 精简率
    assert by_key[("洛川县政务服务中心", "第二轮行政审批事项清理")] == [
        "323",
        "149",
        "18",
        "9",
        "147",
        "3",
        "4",
        "54.5%",
    ]
    assert by_key[("延川县政务服务中心", "第四轮行政审批事项清理")] == [
        "252",
        "106",
        "0",
        "0",
        "146",
        "4",
        "6",
        "42.1%",
    ]
    assert by_key[("延川县政务服务中心", "第五轮行政审批事项清理")] == [
        "146",
        "12",
        "7",
        "0",
        "127",
        "0",
        "0",
        "13.0%",
    ]
    city = read_content(__import__("sunshine").DEMO_CONTENT)
    for center in city.all_centers():
        for stats in center_rounds(center):
            assert by_key[(center.site.name, stats.name)][-1] == stats.rate_text


def test_every_chart_has_a_text_alternative_and_a_table(page) -> None:
    for path in ("/reform/", "/luochuan/reform/", "/yanchuan/reform/"):
        soup = page(path)
        charts = soup.select("svg.chart")
        assert charts, path
        for svg in charts:
            assert svg["role"] == "img"
            title_id, desc_id = svg["aria-labelledby"].split()
            assert svg.select_one(f"#{title_id}").get_text() and svg.select_one(f"#{desc_id}").get_text()
            assert svg.find_parent("figure").select_one("figcaption") is not None
    desc = page("/yanchuan/reform/").select_one("svg.chart desc").get_text()
    assert "清理 252 项" in desc and "精简率 42.1%" in desc


def test_county_reform_page_links_the_items_of_each_action(page) -> None:
    soup = page("/yanchuan/reform/")
    assert "沿用" not in _text(soup.select_one("main"))  # 延川 has rounds of its own
    round5 = soup.select_one("#round-5").find_parent("section")
    lists = {_text(d.select_one("summary")): d for d in round5.select("details")}
    assert set(lists) == {"取消的事项（12 项）", "下放的事项（7 项）", "保留的事项（127 项）"}
    links = [a["href"] for a in lists["下放的事项（7 项）"].select("a")]
    assert len(links) == 7 and all(h.startswith("/yanchuan/items/") for h in links)
    assert "沿用延安市政务服务中心公布的清理轮次" in _text(page("/luochuan/reform/").select_one("main"))


# --- open data ---------------------------------------------------------------------------------------


def test_items_json_validates_against_the_published_schema(client: FlaskClient) -> None:
    schema = client.get("/data/items.schema.json").get_json()
    jsonschema.Draft202012Validator.check_schema(schema)
    city = client.get("/data/items.json")
    assert city.mimetype == "application/json"
    body = city.get_json()
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(body)
    content = read_content(__import__("sunshine").DEMO_CONTENT)
    assert len(body["items"]) == sum(len(c.items) for c in content.all_centers())
    assert body["license"]["name"].startswith("知识共享署名") and body["updated"] == "2013-08-20"
    county = client.get("/luochuan/data/items.json").get_json()
    jsonschema.validate(county, schema)
    assert {i["center"] for i in county["items"]} == {"luochuan"}
    impl = next(i for i in county["items"] if i["id"] == "canyin-fuwu-xuke")
    assert impl["base"] == "canyin-fuwu-xuke" and impl["url"] == "/luochuan/items/canyin-fuwu-xuke/"
    assert impl["basis"][0]["law"] == "《中华人民共和国食品安全法》"  # inherited keys are in the data


def test_items_csv_has_the_contract_columns(client: FlaskClient) -> None:
    response = client.get("/yanchuan/data/items.csv")
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert list(rows[0])[:5] == ["center", "id", "code", "base", "name"]
    assert len(rows) == 262 and {r["center"] for r in rows} == {"yanchuan"}
    assert "time_limit.promised" in rows[0]


def test_reform_csv_and_catalog_json(client: FlaskClient) -> None:
    text = client.get("/data/reform.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = {(r["center"], r["round"]): r for r in csv.DictReader(io.StringIO(text))}
    luochuan = rows[("luochuan", "2")]
    assert (luochuan["清理事项数"], luochuan["取消"], luochuan["精简率"]) == ("323", "149", "54.5")
    assert rows[("yanchuan", "4")]["保留"] == "146"
    catalog = client.get("/data/catalog.json").get_json()
    entry = next(e for e in catalog["entries"] if e["id"] == "linmu-caifa-xuke")
    assert entry["not_implemented"] == ["city"] and {i["center"] for i in entry["implementations"]} == {
        "luochuan",
        "yanchuan",
    }


def test_data_page_lists_every_file_with_licence_and_date(page) -> None:
    soup = page("/data/")
    hrefs = [a["href"] for a in soup.select("table.data-files a")]
    assert hrefs == [
        "/data/items.json",
        "/data/items.csv",
        "/luochuan/data/items.json",
        "/luochuan/data/items.csv",
        "/yanchuan/data/items.json",
        "/yanchuan/data/items.csv",
        "/data/catalog.json",
        "/data/reform.csv",
        "/data/items.schema.json",
    ]
    facts = _text(soup.select_one("dl.facts"))
    assert "CC BY 4.0" in facts and "2013-08-20" in facts
    assert soup.select_one("a[rel=license]")["href"].startswith("https://creativecommons.org/")


# --- search ------------------------------------------------------------------------------------------


def test_city_search_has_a_center_facet(page) -> None:
    soup = page("/search/?q=餐饮服务许可")
    facet = next(
        f for f in soup.select(".search-facets .facet") if "政务服务中心" in _text(f.select_one("h2"))
    )
    labels = [_text(a) for a in facet.select("a")]
    assert any(label.startswith("洛川县政务服务中心（") for label in labels)
    hrefs = {a["href"] for a in soup.select(".result-title")}
    assert {"/items/canyin-fuwu-xuke/", "/luochuan/items/canyin-fuwu-xuke/"} <= hrefs
    narrowed = page("/search/?q=餐饮服务许可&center=yanchuan")
    assert all(a["href"].startswith("/yanchuan/") for a in narrowed.select(".result-title"))


def test_a_county_search_is_scoped_to_it(page, client: FlaskClient) -> None:
    soup = page("/luochuan/search/?q=餐饮服务许可")
    hrefs = [a["href"] for a in soup.select(".result-title")]
    assert hrefs and all(h.startswith("/luochuan/") for h in hrefs)
    assert (
        soup.select_one(".search-scope a")["href"]
        == "/search/?q=%E9%A4%90%E9%A5%AE%E6%9C%8D%E5%8A%A1%E8%AE%B8%E5%8F%AF"
    )
    api = client.get("/api/search", query_string={"q": "餐饮", "center": "yanchuan"}).get_json()
    assert api["results"] and all(r["url"].startswith("/yanchuan/") for r in api["results"])


def test_static_search_page_of_a_county_uses_its_own_bundle(make_app: Callable[..., Flask]) -> None:
    client = make_app(STATIC_BUILD=True).test_client()
    county = BeautifulSoup(client.get("/luochuan/search/").get_data(as_text=True), "lxml")
    assert county.select_one("#search-app")["data-bundle"] == "/luochuan/pagefind/"
    assert county.select_one("#filter-center") is None
    city = BeautifulSoup(client.get("/search/").get_data(as_text=True), "lxml")
    assert city.select_one("#search-app")["data-bundle"] == "/pagefind/"
    options = [(o.get("value"), o.get_text()) for o in city.select("#filter-center option")]
    assert options == [
        ("", "全部中心"),
        ("city", "延安市政务服务中心"),
        ("luochuan", "洛川县政务服务中心"),
        ("yanchuan", "延川县政务服务中心"),
    ]


def test_feed_and_forms_of_a_county_on_the_server(client: FlaskClient) -> None:
    feed = client.get("/luochuan/news/feed.xml")
    assert feed.status_code == 200 and b"/luochuan/news/2011-10-12-qingli-jieguo/" in feed.data
    assert b"/luochuan/news/feed.xml" in feed.data
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    assert "/luochuan/items/canyin-fuwu-xuke/" in sitemap and "/catalog/canyin-fuwu-xuke/" in sitemap
    assert "/yanchuan/reform/" in sitemap and "/data/items.json" not in sitemap
    assert json.loads(client.get("/data/items.json").data)["centers"][1]["url"] == "/luochuan/"


def test_county_pages_offer_no_feedback_server_of_the_citys(make_app: Callable[..., Flask]) -> None:
    """This server's feedback knows the root center's items only: a county's page shows its phones instead."""
    client = make_app(FEEDBACK_ENABLED=True, FEEDBACK_MIN_FILL_SECONDS=0).test_client()
    root = BeautifulSoup(client.get("/items/canyin-fuwu-xuke/").get_data(as_text=True), "lxml")
    assert root.select_one("a[href^='/feedback/new?kind=']") is not None
    county = BeautifulSoup(client.get("/luochuan/items/canyin-fuwu-xuke/").get_data(as_text=True), "lxml")
    assert county.select_one("a[href*='/feedback/new']") is None
    assert "0911-3621166" in _text(county.select_one(".topbar"))
