"""The static search page in Chromium: type, see items, filter, follow; no query shape breaks it; axe."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from searchkit import NASTY_QUERIES
from staticserver import served

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def heldout_url(heldout_site: Path) -> Iterator[str]:
    with served(heldout_site) as url:
        yield url


def test_type_filter_follow(heldout_url: str, page_factory: Callable[..., Any]) -> None:
    page = page_factory(width=390, height=844)
    page.goto(f"{heldout_url}/search/")
    page.fill("#search-q", "老人补贴怎么申请")
    page.press("#search-q", "Enter")
    page.wait_for_selector("#search-list .result-title")
    assert "找到" in page.inner_text("#search-status")
    first = page.locator("#search-list .result-title").first
    assert first.get_attribute("href") == "/items/gaoling-butie/"
    assert page.locator("#search-list .result-excerpt").count() >= 1
    page.click(".search-filters summary")  # on a phone the filters start folded
    page.select_option("#filter-type", "行政给付")
    page.wait_for_function("document.querySelector('#search-status').textContent.startsWith('找到')")
    hrefs = page.locator("#search-list .result-title").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    assert hrefs and all(h.startswith("/items/") for h in hrefs)
    page.locator("#search-list .result-title").first.click()
    page.wait_for_url("**/items/gaoling-butie/")
    assert page.console_errors == []


def test_pinyin_query_shows_a_readable_excerpt(static_url: str, page_factory: Callable[..., Any]) -> None:
    """Pinyin is indexed so "sfz" finds 身份证, but the excerpt must not show the hidden pinyin field."""
    page = page_factory(width=375)
    page.goto(f"{static_url}/search/?q=sfz")
    page.wait_for_selector("#search-list .result-title")
    first = page.locator("#search-list .result-title").first
    # The demo is a city: the city-wide search may list a county's 居民身份证 first.
    assert (first.get_attribute("href") or "").endswith("/items/jumin-shenfenzheng/")
    excerpt = page.locator("#search-list .result-excerpt").first.inner_text()
    leftovers = set(re.findall(r"[a-z]{2,}", excerpt)) - {"sfz"}
    assert leftovers == set(), excerpt
    assert re.search(r"[\u4e00-\u9fff]", excerpt)


def test_query_in_url_and_nothing_found(heldout_url: str, page_factory: Callable[..., Any]) -> None:
    page = page_factory()
    page.goto(f"{heldout_url}/search/?q=%E7%81%AB%E6%98%9F%E7%A7%BB%E6%B0%91xyz")
    page.wait_for_function("document.querySelector('#search-status').textContent.includes('没有找到')")
    assert page.is_visible("#search-empty")
    assert page.locator("#search-empty a[href='tel:0319-1234567']").count() == 1


def test_pagefind_never_errors(heldout_url: str, pagefind_runner: Callable[[str], Any]) -> None:
    runner = pagefind_runner(heldout_url)
    for query in NASTY_QUERIES:
        result = runner.run(query)
        assert isinstance(result["ids"], list), query
    assert runner.page.console_errors == []


def test_search_page_passes_axe(heldout_url: str, page_factory: Callable[..., Any]) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = page_factory(width=390, height=844)
    page.goto(f"{heldout_url}/search/?q=%E5%8A%9E%E9%80%80%E4%BC%91")
    page.wait_for_selector("#search-list .result-title")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"]) for v in serious]


def test_query_and_filters_live_in_the_address_and_title(
    static_url: str, page_factory: Callable[..., Any]
) -> None:
    page = page_factory(width=1280)
    page.goto(f"{static_url}/search/?q=%E7%99%BB%E8%AE%B0&type=%E8%A1%8C%E6%94%BF%E7%A1%AE%E8%AE%A4")
    page.wait_for_function("document.querySelector('#search-status').textContent.startsWith('找到')")
    assert page.input_value("#filter-type") == "行政确认"
    assert page.title().startswith("“登记”的搜索结果")
    page.select_option("#filter-audience", "法人")
    page.wait_for_function("location.search.includes('audience=')")
    assert "q=%E7%99%BB%E8%AE%B0" in page.url and "type=" in page.url
    page.fill("#search-q", "结婚")
    page.press("#search-q", "Enter")
    page.wait_for_function("document.title.startsWith('“结婚”')")
    assert "q=%E7%BB%93%E5%A9%9A" in page.url
    assert page.console_errors == []


def test_more_results_keeps_the_keyboard_in_the_list(
    static_url: str, page_factory: Callable[..., Any]
) -> None:
    page = page_factory(width=390, height=844)
    page.goto(f"{static_url}/search/?q=%E7%94%B3%E8%AF%B7")  # 申请: more than one page of results
    page.wait_for_selector("#search-more:visible")
    page.focus("#search-more")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelectorAll('#search-list .result').length > 10")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.closest('li').id]")
    assert focused == ["result-title", "r11"]
    assert page.console_errors == []


def test_nothing_found_shows_the_help(static_url: str, page_factory: Callable[..., Any]) -> None:
    page = page_factory(width=390, height=844)
    page.goto(f"{static_url}/search/?q=asdfgh")
    page.wait_for_function("document.querySelector('#search-status').textContent.includes('没有找到')")
    assert page.is_visible("#search-empty")
    assert page.locator("#search-empty a[href='tel:0911-8216600']").count() == 1
    assert page.locator("#search-list .result").count() == 0


def test_without_javascript_the_search_still_leads_to_items(browser: Any, static_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(f"{static_url}/")
        page.fill("#site-search-q", "身份证")
        page.press("#site-search-q", "Enter")
        page.wait_for_url("**/search/?q=*")
        assert page.is_visible("noscript >> text=没有开启脚本") or "没有开启脚本" in page.content()
        assert not page.is_visible(".search-layout") and not page.is_visible("#filter-type")
        page.click(".az-letters a:text-is('S')")
        page.wait_for_url("**/search/zimu/s/")
        page.click(".term-index dt:text-is('身份证丢了') + dd a")
        page.wait_for_url("**/items/jumin-shenfenzheng/")
    finally:
        context.close()


def test_empty_search_page_passes_axe(static_url: str, page_factory: Callable[..., Any]) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = page_factory(width=1280)
    page.goto(f"{static_url}/search/")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [(v["id"], v["help"]) for v in serious]
