"""The built demo site in Debian's Chromium: phones and desktops, accessibility, print."""

from __future__ import annotations

from pathlib import Path

import pytest

from sunshine.content import read_content

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)


def _page_paths(demo_content: Path) -> list[str]:
    """One page of each type from the demo content, plus the lists."""
    content = read_content(demo_content)
    paths = [
        "/",
        "/items/",
        "/items/type/xingzheng-xuke/",
        "/items/withdrawn/",
        "/windows/",
        "/departments/",
        "/news/",
    ]
    first = {
        "items": sorted(content.items, key=lambda i: -len(content.items[i].materials)),
        "windows": sorted(content.windows),
        "departments": sorted(content.departments),
        "news": sorted(content.news),
        "pages": sorted(content.pages),
    }
    for kind, ids in first.items():
        if ids:
            paths.append(f"/{kind}/{ids[0]}/")
    withdrawn = content.withdrawn_items()
    if withdrawn:
        paths.append(f"/items/{withdrawn[0].id}/")
    paths.append("/404.html")
    return paths


@pytest.fixture(scope="module")
def page_paths() -> list[str]:
    from sunshine import DEMO_CONTENT

    return _page_paths(DEMO_CONTENT)


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_type_renders_without_errors_or_overflow(
    static_url: str, page_factory, page_paths, width: int
) -> None:
    page = page_factory(width=width)
    overflowing = []
    for path in page_paths:
        response = page.goto(static_url + path)
        assert response is not None and response.ok, path
        assert page.locator("h1").count() == 1, path
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll > client:
            overflowing.append((path, scroll, client))
    assert page.console_errors == []
    if width == 375:
        assert overflowing == []


@pytest.mark.parametrize("width", WIDTHS)
def test_no_serious_or_critical_accessibility_violations(
    static_url: str, page_factory, page_paths, width: int
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = page_factory(width=width)
    found = []
    for path in page_paths:
        page.goto(static_url + path)
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                found.append((path, violation["id"], [n["target"] for n in violation["nodes"]][:3]))
    assert found == []


def test_content_is_readable_with_javascript_off(browser, static_url: str, page_paths) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        for path in page_paths:
            page.goto(static_url + path)
            assert page.locator("main h1").is_visible(), path
    finally:
        context.close()


def test_text_is_large_and_tap_targets_big_on_phones(static_url: str, page_factory, page_paths) -> None:
    page = page_factory(width=375)
    page.goto(static_url + page_paths[-3 if len(page_paths) > 3 else 0])
    body_px = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert body_px >= 16
    heights = page.evaluate(
        "[...document.querySelectorAll('nav.main-nav a, .search-box button')]"
        ".map(a => a.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 44


def test_printed_item_guide_keeps_the_materials_checklist(
    static_url: str, page_factory, demo_content: Path
) -> None:
    content = read_content(demo_content)
    item = max(content.active_items(), key=lambda i: len(i.materials))
    page = page_factory(width=1280)
    page.goto(f"{static_url}/items/{item.id}/")
    page.emulate_media(media="print")
    table = page.locator("table.checklist")
    assert table.is_visible()
    assert page.locator("table.checklist thead").is_visible()
    assert page.locator("table.checklist tbody td.tick").first.is_visible()
    assert page.locator("table.checklist tbody tr").count() == len(item.materials)
    assert not page.locator("nav.main-nav").is_visible()
    assert not page.locator("footer.site-footer").is_visible()
    # The checklist fits an A4 page width (210 mm minus 24 mm margins ≈ 703 CSS px).
    page.set_viewport_size({"width": 703, "height": 1000})
    width = page.evaluate("document.querySelector('table.checklist').getBoundingClientRect().width")
    assert width <= 703
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"
