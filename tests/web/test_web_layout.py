"""Every page type: government-site chrome, landmarks, heading order, breadcrumbs, tables."""

from __future__ import annotations

import itertools

import pytest

PAGES = [
    "/",
    "/items/",
    "/items/type/xingzheng-xuke/",
    "/items/audience/ziranren/",
    "/items/withdrawn/",
    "/items/canyin-fuwu-xuke/",
    "/items/huji-zhengming/",
    "/items/yanhua-pifa-xuke/",
    "/windows/",
    "/windows/a12/",
    "/departments/",
    "/departments/shiyaojian/",
    "/news/",
    "/news/2010-06-01-kaiye/",
    "/pages/banshi-xuzhi/",
    "/404.html",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_has_landmarks_and_one_h1(get_page, path: str) -> None:
    soup = get_page(path)
    assert soup.html["lang"] == "zh-CN"
    for landmark in ("header.site-header", "nav.main-nav", "main#main", "footer.site-footer"):
        assert soup.select_one(landmark) is not None, landmark
    assert len(soup.select("h1")) == 1
    assert soup.title.get_text().endswith("测试市政务服务中心")
    assert soup.select_one("header.site-header .site-name-text").contents[0].strip() == "测试市政务服务中心"


@pytest.mark.parametrize("path", PAGES)
def test_headings_never_skip_a_level(get_page, path: str) -> None:
    levels = [int(h.name[1]) for h in get_page(path).select("h1, h2, h3, h4, h5, h6")]
    assert levels[0] == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels


@pytest.mark.parametrize("path", PAGES)
def test_every_table_header_has_a_scope(get_page, path: str) -> None:
    for th in get_page(path).select("table th"):
        assert th.get("scope") in ("col", "row"), th


@pytest.mark.parametrize("path", PAGES)
def test_footer_carries_the_government_site_identifiers(get_page, text_of, path: str) -> None:
    footer = text_of(get_page(path).select_one("footer.site-footer"))
    for expected in (
        "主办单位：测试市政务服务中心管理办公室",
        "网站标识码：0000000001",
        "ICP备案号：测ICP备00000001号",
        "公安备案号：测公网安备 00000000000001号",
        "地址：测试市人民路 1 号",
        "监督投诉电话：0000-1112345",
    ):
        assert expected in footer


def test_main_navigation_lists_sections_menu_pages_and_search(get_page) -> None:
    links = [(a.get_text(strip=True), a["href"]) for a in get_page("/items/").select("nav.main-nav a")]
    assert links == [
        ("首页", "/"),
        ("办事指南", "/items/"),
        ("办事窗口", "/windows/"),
        ("部门", "/departments/"),
        ("新闻动态", "/news/"),
        ("办事须知", "/pages/banshi-xuzhi/"),
        ("搜索", "/search/"),
    ]


def test_navigation_marks_the_current_section(get_page) -> None:
    current = get_page("/items/canyin-fuwu-xuke/").select('nav.main-nav a[aria-current="page"]')
    assert [a.get_text(strip=True) for a in current] == ["办事指南"]


@pytest.mark.parametrize(
    ("path", "trail"),
    [
        ("/items/canyin-fuwu-xuke/", ["首页", "办事指南", "行政许可", "餐饮服务许可证核发"]),
        ("/windows/a12/", ["首页", "办事窗口", "A12 食品药品窗口"]),
        ("/departments/shiyaojian/", ["首页", "部门", "测试市食品药品监督管理局"]),
        ("/news/2010-06-01-kaiye/", ["首页", "新闻动态", "中心正式开业"]),
        ("/pages/banshi-xuzhi/", ["首页", "办事须知"]),
    ],
)
def test_breadcrumbs_lead_back_home(get_page, text_of, path: str, trail: list[str]) -> None:
    crumbs = get_page(path).select("nav.breadcrumbs li")
    assert [text_of(li) for li in crumbs] == trail
    assert crumbs[-1].select_one('[aria-current="page"]') is not None
    assert crumbs[0].a["href"] == "/"


def test_search_box_in_header_except_on_home_where_it_leads_the_page(get_page) -> None:
    assert get_page("/items/").select_one("header form[role=search]") is not None
    home = get_page("/")
    assert home.select_one("header form[role=search]") is None
    assert home.select_one("main form[role=search]")["action"] == "/search/"
    assert len(home.select("#site-search-q")) == 1


def test_home_shows_center_contacts_entries_and_latest_news(get_page, text_of) -> None:
    soup = get_page("/")
    main = soup.select_one("main")
    assert soup.h1.get_text(strip=True) == "测试市政务服务中心"
    text = text_of(main)
    for expected in ("测试市人民路 1 号", "周一至周五 9:00—17:00", "0000-1111111", "0000-1112345"):
        assert expected in text
    hrefs = {a["href"] for a in main.select("a[href]")}
    assert {"/items/type/xingzheng-xuke/", "/items/type/gonggong-fuwu/"} <= hrefs
    assert {"/items/audience/ziranren/", "/items/audience/faren/"} <= hrefs
    assert {"/departments/shiyaojian/", "/departments/zwzx/"} <= hrefs
    news = [a.get_text(strip=True) for a in main.select(".news-list a")]
    assert news == ["中午延时服务", "中心正式开业"]
