"""Printed guides, rendered to PDF by Chromium and counted with pypdf.

A guide prints on as few A4 sheets as its content needs (page breaks may cost
at most a twentieth of a page's worth of height), its materials checklist on
exactly one; the window number and the phones print black and bold; every
download and the online service print their full address; a QR code leads to
the online guide.
"""

from __future__ import annotations

import io
import math
from typing import Any

import pytest
from pypdf import PdfReader

from sunshine import DEMO_CONTENT
from sunshine.content import read_content
from sunshine.web.printing import qr_svg

pytestmark = pytest.mark.browser

#: A4 (210 × 297 mm) less the margins of print.css (12 mm each side, 12 mm top, 14 mm bottom), in CSS px.
PAGE_WIDTH = round((210 - 24) / 25.4 * 96)
PAGE_HEIGHT = (297 - 26) / 25.4 * 96
#: What page breaks (a table row or a step kept whole) may cost, as a share of the content's height.
BREAK_ALLOWANCE = 1.05


def _items() -> list[Any]:
    """The guides most likely to run long: most materials, longest text; and a short one."""
    content = read_content(DEMO_CONTENT)
    active = content.active_items()
    by_materials = sorted(active, key=lambda i: (-len(i.materials), i.id))[:4]
    by_length = sorted(active, key=lambda i: (-len(i.model_dump_json()), i.id))[:4]
    shortest = min(active, key=lambda i: (len(i.model_dump_json()), i.id))
    chosen = {i.id: i for i in [*by_materials, *by_length, shortest]}
    return list(chosen.values())


@pytest.fixture(scope="module")
def print_page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": PAGE_WIDTH, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


def _pdf_pages(page: Any, url: str) -> tuple[int, float, list[str]]:
    page.goto(url)
    page.emulate_media(media="print")
    height = page.evaluate("document.documentElement.scrollHeight")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    return len(reader.pages), height, [p.extract_text() or "" for p in reader.pages]


@pytest.mark.parametrize("item", _items(), ids=lambda i: i.id)
def test_guide_prints_on_as_few_pages_as_it_needs(print_page: Any, static_url: str, item: Any) -> None:
    pages, height, texts = _pdf_pages(print_page, f"{static_url}/items/{item.id}/")
    assert pages <= math.ceil(height * BREAK_ALLOWANCE / PAGE_HEIGHT), (pages, height)
    assert pages <= 3
    text = "".join(texts)
    assert item.name[:8] in text.replace("\n", "")
    checklist_pages, _, checklist_texts = _pdf_pages(print_page, f"{static_url}/items/{item.id}/checklist/")
    if item.materials:
        assert checklist_pages == 1
        assert all(m.name[:6] in checklist_texts[0].replace("\n", "") for m in item.materials)


def test_printed_guide_keeps_what_a_reader_needs(print_page: Any, static_url: str) -> None:
    content = read_content(DEMO_CONTENT)
    item = content.items["canyin-fuwu-xuke"]
    print_page.goto(f"{static_url}/items/{item.id}/")
    print_page.emulate_media(media="print")
    for hidden in ("nav.main-nav", "footer.site-footer", ".toc", ".guide-actions", ".page-end", ".topbar"):
        assert not print_page.locator(hidden).first.is_visible(), hidden
    # The window number and the phones: black, bold, legible.
    number = print_page.evaluate(
        """() => { const s = getComputedStyle(document.querySelector('.quick-facts .window-number'));
            return [s.color, s.backgroundColor, s.fontWeight, parseFloat(s.fontSize)]; }"""
    )
    assert number[0] == "rgb(0, 0, 0)" and number[1] in ("rgba(0, 0, 0, 0)", "transparent")
    assert int(number[2]) >= 700 and number[3] >= 12
    phones = print_page.evaluate(
        "[...document.querySelectorAll('a.tel')].filter(a => a.checkVisibility())"
        ".map(a => [getComputedStyle(a).color, getComputedStyle(a).fontWeight])"
    )
    assert phones and all(color == "rgb(0, 0, 0)" and int(weight) >= 700 for color, weight in phones)
    # Downloads print their full address, the online service its own.
    after = print_page.evaluate(
        "[...document.querySelectorAll('.checklist a[download]')]"
        ".map(a => getComputedStyle(a, '::after').content)"
    )
    assert after and all(a.startswith('" https://zwfw.example.gov.cn/forms/') for a in after), after
    assert print_page.locator("#paodong a.url").is_visible()
    assert print_page.locator("#paodong a.url").inner_text() == item.online.url
    # The QR code is the online guide's address, drawn at build time.
    url = f"https://zwfw.example.gov.cn/items/{item.id}/"
    assert print_page.locator(".print-source svg.qr").is_visible()
    assert print_page.locator(".print-url").inner_text() == url
    drawn = print_page.evaluate("document.querySelector('.print-source svg.qr path').getAttribute('d')")
    assert f'd="{drawn}"' in str(qr_svg(url))
    _, _, texts = _pdf_pages(print_page, f"{static_url}/items/{item.id}/")
    text = "".join(texts)
    for needed in ("A12", content.item_consult_phone(item), content.item_complaint_phone(item), url):
        assert needed in text.replace("\n", ""), needed


def test_checklist_page_offers_printing_with_script_only(
    browser: Any, static_url: str, page_factory: Any
) -> None:
    page = page_factory(width=390)
    page.goto(f"{static_url}/items/canyin-fuwu-xuke/checklist/")
    assert page.locator("button[data-print]").is_visible()
    context = browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(f"{static_url}/items/canyin-fuwu-xuke/checklist/")
        assert not plain.locator("button[data-print]").is_visible()
    finally:
        context.close()
