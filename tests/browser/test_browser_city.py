"""The demo city's page types in Debian's Chromium: phones and desktops, accessibility, search by center."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)

#: One page of each type the city adds, and a county's pages under its prefix.
CITY_PAGES = [
    "/catalog/",
    "/catalog/canyin-fuwu-xuke/",
    "/catalog/linmu-caifa-xuke/",
    "/reform/",
    "/luochuan/reform/",
    "/yanchuan/reform/",
    "/data/",
    "/luochuan/",
    "/luochuan/items/canyin-fuwu-xuke/",
    "/yanchuan/items/",
]


@pytest.mark.parametrize("width", WIDTHS)
def test_city_pages_render_without_errors_or_overflow(static_url: str, page_factory, width: int) -> None:
    page = page_factory(width=width)
    overflowing = []
    for path in CITY_PAGES:
        response = page.goto(static_url + path)
        assert response is not None and response.ok, path
        assert page.locator("h1").count() == 1, path
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll > client:
            overflowing.append((path, scroll, client))
    assert page.console_errors == []
    assert overflowing == []


@pytest.mark.parametrize("width", WIDTHS)
def test_city_pages_have_no_serious_accessibility_violations(
    static_url: str, page_factory, width: int
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = page_factory(width=width)
    found = []
    for path in [*CITY_PAGES, "/"]:
        page.goto(static_url + path)
        page.locator("details").evaluate_all("nodes => nodes.forEach(d => d.open = true)")
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                found.append((path, violation["id"], [n["target"] for n in violation["nodes"]][:3]))
    assert found == []


def test_city_search_narrows_to_a_center_and_a_county_searches_itself(static_url: str, page_factory) -> None:
    page = page_factory(width=1280)
    page.goto(f"{static_url}/search/?q=餐饮服务许可")
    page.wait_for_selector("#search-list .result-title")
    hrefs = page.locator("#search-list .result-title").evaluate_all(
        "as => as.map(a => a.getAttribute('href'))"
    )
    assert any(h.startswith("/luochuan/") for h in hrefs) and any(h.startswith("/items/") for h in hrefs)
    page.select_option("#filter-center", "yanchuan")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#search-list .result-title')]"
        ".every(a => a.getAttribute('href').startsWith('/yanchuan/'))"
    )
    page.goto(f"{static_url}/luochuan/search/?q=餐饮服务许可")
    page.wait_for_selector("#search-list .result-title")
    hrefs = page.locator("#search-list .result-title").evaluate_all(
        "as => as.map(a => a.getAttribute('href'))"
    )
    assert hrefs and all(h.startswith("/luochuan/") for h in hrefs)
    assert page.console_errors == []
