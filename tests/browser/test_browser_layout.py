"""Every page type on every screen: no sideways scrolling, nothing cut off or overlapping, at any text size.

Widths 320, 390, 768 and 1280 px, with the browser's default text size and at
200 % (a 32 px default font, set the way a citizen sets it: Chromium's font
size setting, through the DevTools protocol); the 关怀版 at the narrowest
and widest screens.  Plus what a phone user meets first: the item's key facts
on the first 390×844 screen, tap targets of 44 px, a visible focus ring.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sunshine import DEMO_CONTENT
from sunshine.content import read_content

pytestmark = pytest.mark.browser

CHECK = (Path(__file__).with_name("pagecheck.js")).read_text(encoding="utf-8")
WIDTHS = (320, 390, 768, 1280)


def layout_paths(content_dir: Path = DEMO_CONTENT) -> list[str]:
    """One page of every type of the demo site, the search page with results among them."""
    content = read_content(content_dir)
    most_materials = max(content.active_items(), key=lambda i: (len(i.materials), i.id))
    paused = next(i for i in content.items.values() if i.status == "暂停")
    withdrawn = content.withdrawn_items()[0]
    longest_window = max(content.windows.values(), key=lambda w: (len(content.items_at_window(w)), w.id))
    return [
        "/",
        "/sitemap/",
        "/items/",
        "/items/type/",
        "/items/type/xingzheng-xuke/",
        "/items/audience/",
        "/items/audience/faren/",
        "/items/withdrawn/",
        f"/items/{most_materials.id}/",
        f"/items/{most_materials.id}/checklist/",
        f"/items/{paused.id}/",
        f"/items/{withdrawn.id}/",
        "/windows/",
        f"/windows/{longest_window.id}/",
        "/departments/",
        f"/departments/{content.department_of(most_materials).id}/",
        "/news/",
        f"/news/{sorted(content.news)[0]}/",
        "/pages/",
        "/pages/banshi-xuzhi/",
        "/forms/",
        "/xxgk/",
        "/xxgk/mulu/",
        "/search/",
        "/search/?q=%E8%BA%AB%E4%BB%BD%E8%AF%81",  # 身份证
        "/search/zimu/",
        "/search/zimu/s/",
        "/schema/",
        "/404.html",
        *_city_paths(content),
    ]


def _city_paths(content: Any) -> list[str]:
    """The pages a city-wide tree adds: a county's home and item, the catalog, the reform statistics, data."""
    if not content.is_city:
        return []
    county = next(iter(content.centers.values()))
    first_item = sorted(county.items)[0]
    paths = [f"{county.url_prefix}/", f"{county.url_prefix}/items/{first_item}/", "/reform/", "/data/"]
    if content.catalog:
        paths += ["/catalog/", f"/catalog/{sorted(content.catalog)[0]}/"]
    return paths


def _open(browser: Any, width: int, *, font: int | None = None) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 844 if width < 700 else 900})
    page = context.new_page()
    if font:
        session = context.new_cdp_session(page)
        session.send("Page.enable")
        session.send("Page.setFontSizes", {"fontSizes": {"standard": font, "fixed": font}})
    return page


def _check(page: Any, url: str) -> list[str]:
    page.goto(url)
    if "?q=" in url:
        page.wait_for_function("document.querySelector('#search-status').textContent.startsWith('找到')")
    return page.evaluate(CHECK)


@pytest.mark.parametrize("font", [None, 32], ids=["text-100", "text-200"])
@pytest.mark.parametrize("width", WIDTHS)
def test_no_overflow_cut_or_overlap(browser: Any, static_url: str, width: int, font: int | None) -> None:
    page = _open(browser, width, font=font)
    try:
        found = {path: problems for path in layout_paths() if (problems := _check(page, static_url + path))}
    finally:
        page.context.close()
    assert found == {}


@pytest.mark.parametrize("width", [320, 1280])
def test_care_version_has_no_overflow_cut_or_overlap(browser: Any, static_url: str, width: int) -> None:
    page = _open(browser, width)
    try:
        found = {
            path: problems
            for path in layout_paths()
            if path != "/404.html" and (problems := _check(page, f"{static_url}/care{path}"))
        }
    finally:
        page.context.close()
    assert found == {}


def test_key_facts_are_on_the_first_phone_screen(browser: Any, static_url: str) -> None:
    content = read_content(DEMO_CONTENT)
    page = _open(browser, 390)
    try:
        for item in content.active_items()[:12]:
            page.goto(f"{static_url}/items/{item.id}/")
            bottom = page.evaluate("document.querySelector('.quick-facts').getBoundingClientRect().bottom")
            assert bottom <= 844, (item.id, bottom)
            assert page.evaluate("document.querySelector('h1').getBoundingClientRect().top") < 300, item.id
    finally:
        page.context.close()


def test_phone_header_is_compact_and_its_menu_opens_without_script(browser: Any, static_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{static_url}/")
        header = page.evaluate("document.querySelector('header.site-header').getBoundingClientRect().height")
        assert header <= 140
        assert not page.is_visible("nav.main-nav a[href='/windows/']")
        page.click("details.menu > summary")
        assert page.is_visible("nav.main-nav a[href='/windows/']")
        page.click("nav.main-nav a[href='/windows/']")
        page.wait_for_url("**/windows/")
    finally:
        context.close()


def test_wide_screens_show_the_menu_open(browser: Any, static_url: str) -> None:
    page = _open(browser, 1280)
    try:
        page.goto(f"{static_url}/items/")
        assert page.is_visible("nav.main-nav a[href='/windows/']")
        assert not page.is_visible("details.menu > summary")
        page.keyboard.press("Tab")  # skip link
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")  # phones (2), 关怀版, site name, then the search box …
        focusable = page.evaluate(
            "[...document.querySelectorAll('header a, header input, header button')]"
            ".filter(e => e.checkVisibility()).map(e => e.textContent.trim() || e.id)"
        )
        assert "办事窗口" in focusable
    finally:
        page.context.close()


TAPPABLE = (
    "header a, header summary, header button, nav a, .breadcrumbs a, .toc a, .button, "
    ".search-box button, .search-box input, .tiles a, .link-grid a, .more-links a, .item-card-name, "
    ".result-title, .az-letters a, .footer-links a, .report-link, a.tel, .news-list a, .window-name a, "
    ".filter select"
)


@pytest.mark.parametrize("width", [320, 390])
def test_tap_targets_are_at_least_44_px(browser: Any, static_url: str, width: int) -> None:
    page = _open(browser, width)
    small = {}
    try:
        for path in layout_paths():
            page.goto(static_url + path)
            if "?q=" in path:
                page.wait_for_selector("#search-list .result-title")
            found = page.evaluate(
                """(selector) => [...document.querySelectorAll(selector)]
                  .filter((e) => e.checkVisibility() && !e.closest('.visually-hidden'))
                  .map((e) => [e.textContent.trim().slice(0, 12), e.getBoundingClientRect().height])
                  .filter(([, h]) => h < 44)""",
                TAPPABLE,
            )
            if found:
                small[path] = found
    finally:
        page.context.close()
    assert small == {}


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _rgb(css: str) -> tuple[int, int, int]:
    import re

    r, g, b = (int(x) for x in re.findall(r"\d+", css)[:3])
    return (r, g, b)


def test_focus_ring_contrasts_with_white_and_with_the_header(browser: Any, static_url: str) -> None:
    page = _open(browser, 1280)
    try:
        page.goto(f"{static_url}/items/")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")  # the first phone link in the blue top bar
        ring = page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
                return [s.outlineColor, s.outlineWidth, s.boxShadow,
                        getComputedStyle(document.querySelector('.topbar')).backgroundColor,
                        getComputedStyle(document.querySelector('main')).backgroundColor]; }"""
        )
    finally:
        page.context.close()
    outline, outline_width, shadow, header, main = ring
    assert float(outline_width.removesuffix("px")) >= 2
    # The outline (inner ring) is seen against white content; the yellow halo against the blue header.
    assert _contrast(_rgb(outline), _rgb(main)) >= 3
    assert _contrast(_rgb(shadow), _rgb(header)) >= 3
    assert _contrast(_rgb(outline), _rgb(shadow)) >= 3
