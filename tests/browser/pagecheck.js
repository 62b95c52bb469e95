// Layout problems of the page as rendered: returned as a list of short descriptions (empty = fine).
// Run in the page by the browser tests (tests/browser/test_browser_layout.py).
//  * the page scrolls sideways;
//  * a piece of text reaches past the screen, or past a box that clips or scrolls it;
//  * two pieces of text (or controls) overlap;
//  * a phone number or a date is broken over two lines.
// A chart or table inside a scroll region a keyboard can reach (role=region, tabindex=0) may be
// wider than the screen: two-dimensional content scrolls in its own box, the page does not.
() => {
  const problems = [];
  const doc = document.documentElement;
  const width = doc.clientWidth;
  if (doc.scrollWidth > width + 1) problems.push(`page ${doc.scrollWidth}px wide in a ${width}px window`);

  // Text hidden on purpose: for screen readers only (a 1 px clipped box), the skip link until focused.
  const hiddenByDesign = (el) => {
    if (el.closest(".skip-link, .hp")) return true;
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      const r = a.getBoundingClientRect();
      if (s.overflow !== "visible" && (r.width <= 1 || r.height <= 1)) return true;
    }
    return false;
  };
  const visible = (el) => el.checkVisibility({ contentVisibilityAuto: true, opacityProperty: true, visibilityProperty: true });
  const label = (el) => {
    const id = el.id ? `#${el.id}` : "";
    const cls = el.classList.length ? `.${[...el.classList].join(".")}` : "";
    return `${el.tagName.toLowerCase()}${id}${cls}`;
  };
  const inScrollRegion = (el) => {
    const region = el.closest("[role=region][tabindex='0']");
    return region && ["auto", "scroll"].includes(getComputedStyle(region).overflowX);
  };
  const clipper = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox !== "visible") return a;
    }
    return null;
  };

  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim() || !el || hiddenByDesign(el) || !visible(el) || inScrollRegion(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const clip = clipper(el);
    const clipBox = clip && clip.getBoundingClientRect();
    for (const r of range.getClientRects()) {
      if (r.width < 1 || r.height < 1) continue;
      if (r.left < -1 || r.right > width + 1) {
        problems.push(`text “${node.textContent.trim().slice(0, 20)}” in ${label(el)} runs past the screen (${Math.round(r.left)}–${Math.round(r.right)})`);
      } else if (clipBox && (r.right > clipBox.right + 1 || r.left < clipBox.left - 1)) {
        problems.push(`text “${node.textContent.trim().slice(0, 20)}” in ${label(el)} is cut off by ${label(clip)}`);
      }
      boxes.push({ r, el, text: node.textContent.trim().slice(0, 16) });
    }
  }
  for (const el of document.querySelectorAll("input:not([type=hidden]), select, button, svg, img, textarea")) {
    if (hiddenByDesign(el) || !visible(el) || inScrollRegion(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) continue;
    if (r.right > width + 1) problems.push(`${label(el)} runs past the screen`);
    boxes.push({ r, el, text: label(el) });
  }
  // Overlaps: sort by top, compare neighbours whose vertical ranges meet.
  boxes.sort((a, b) => a.r.top - b.r.top);
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j].r.top < a.r.bottom - 1; j++) {
      const b = boxes[j];
      if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const dx = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const dy = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (dx > 2 && dy > 2) problems.push(`“${a.text}” (${label(a.el)}) overlaps “${b.text}” (${label(b.el)})`);
    }
  }
  // Numbers a citizen reads or dials stay on one line.
  for (const el of document.querySelectorAll("a[href^='tel:'], time, .window-number")) {
    if (hiddenByDesign(el) || !visible(el)) continue;
    const lines = new Set([...el.getClientRects()].filter((r) => r.width > 1).map((r) => Math.round(r.top)));
    if (lines.size > 1) problems.push(`“${el.textContent.trim()}” (${label(el)}) is broken over ${lines.size} lines`);
  }
  return [...new Set(problems)];
}
