"""The built demo site in Chromium: no errors, accessible in both versions, readable without script."""

from __future__ import annotations

from typing import Any

import pytest
from test_browser_layout import layout_paths

pytestmark = pytest.mark.browser

WIDTHS = (390, 1280)


@pytest.fixture(scope="module")
def page_paths() -> list[str]:
    return layout_paths()


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_type_renders_without_errors(
    static_url: str, page_factory, page_paths, width: int
) -> None:
    page = page_factory(width=width)
    for path in page_paths:
        response = page.goto(static_url + path)
        assert response is not None and (response.ok or path == "/404.html"), path
        assert page.locator("h1").count() == 1, path
    assert page.console_errors == []


def _serious(axe: Any, page: Any) -> list[tuple[str, list[Any]]]:
    results = axe.run(page)
    return [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize(("width", "version"), [(390, ""), (1280, ""), (390, "/care"), (1280, "/care")])
def test_no_serious_or_critical_accessibility_violations(
    static_url: str, page_factory, page_paths, width: int, version: str
) -> None:
    """axe-core on every page type, in the standard version and in the 关怀版 (large text, high contrast)."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = page_factory(width=width)
    found = {}
    for path in page_paths:
        if version and path == "/404.html":
            continue
        page.goto(static_url + version + path)
        if "?q=" in path:
            page.wait_for_selector("#search-list .result-title")
        if problems := _serious(axe, page):
            found[path] = problems
    assert found == {}


def test_content_is_readable_with_javascript_off(browser, static_url: str, page_paths) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        for path in page_paths:
            page.goto(static_url + path)
            assert page.locator("main h1").is_visible(), path
            # A control that needs script is never shown without it.
            assert not page.locator("[data-needs-script], button[data-print]").first.is_visible(), path
    finally:
        context.close()


def test_text_is_large_on_phones(static_url: str, page_factory) -> None:
    page = page_factory(width=390)
    page.goto(static_url + "/items/")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16
    page.goto(static_url + "/care/items/")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 22


def test_care_version_is_remembered_in_the_browser(static_url: str, page_factory) -> None:
    page = page_factory(width=390)
    page.goto(static_url + "/items/")
    page.click("a.care-toggle")
    page.wait_for_url("**/care/items/")
    page.goto(static_url + "/windows/")  # a later visit to a standard page opens its 关怀版
    page.wait_for_url("**/care/windows/")
    page.click("a.care-toggle")
    page.wait_for_url("**/windows/")
    assert "/care/" not in page.url
    page.goto(static_url + "/departments/")
    assert "/care/" not in page.url
    assert page.console_errors == []
