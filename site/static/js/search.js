// The static site's search page: reads ?q= and the filters from the address, asks the Pagefind
// bundle, shows Chinese results.  No framework, no CDN: the bundle is loaded from /pagefind/ of
// this site, on the first query.  The query and the filters stay in the address and the page
// title, so a result list can be bookmarked, shared and reloaded.
// The filter menus come filled from the build, so Pagefind's filter lists are fetched only
// when a filter is applied, never to show the choices.
import { runSearch, queryTerms, excerpt } from "./search-query.js";

const app = document.getElementById("search-app");
const bundle = app.dataset.bundle;
const root = app.dataset.root || "";
const form = app.querySelector("form");
const input = document.getElementById("search-q");
const layout = app.querySelector(".search-layout");
const filtersBox = app.querySelector(".search-filters");
const status = document.getElementById("search-status");
const list = document.getElementById("search-list");
const moreBox = document.getElementById("search-more-box");
const moreButton = document.getElementById("search-more");
const empty = document.getElementById("search-empty");
const suggest = document.getElementById("search-suggest");
const selects = [...app.querySelectorAll("select[data-filter]")];
const onlineBox = app.querySelector("input[data-filter=online]");
const baseTitle = document.title.split(" - ").slice(1).join(" - ");
const PAGE = 10;
const KIND = { item: "办事指南", window: "窗口", department: "部门", news: "新闻", page: "页面" };

let pagefind = null;
let table = null;
let shown = PAGE;
let generation = 0;

async function load() {
  if (!pagefind) {
    const [pf, tbl] = await Promise.all([
      import(bundle + "pagefind.js"),
      fetch(bundle + "sunshine-query.json").then((r) => r.json()),
    ]);
    // noWorker: search in this thread.  The worker costs a second 41 KB script on the first query,
    // and its 5-second start-up deadline fails on a busy phone (then Pagefind starts over here).
    await pf.options({ highlightParam: null, noWorker: true });
    pagefind = pf;
    table = tbl;
  }
}

function currentFilters() {
  const filters = {};
  for (const select of selects) if (select.value) filters[select.dataset.filter] = select.value;
  if (onlineBox.checked) filters.online = onlineBox.value;
  return filters;
}

// The address and the title say what is shown: ?q=…&type=…, “…”的搜索结果.
function remember(raw) {
  const url = new URL(location.href);
  url.search = "";
  if (raw) url.searchParams.set("q", raw);
  for (const [name, value] of Object.entries(currentFilters())) url.searchParams.set(name, value);
  history.replaceState(null, "", url);
  document.title = (raw ? `“${raw}”的搜索结果` : "搜索办事事项") + (baseTitle ? ` - ${baseTitle}` : "");
}

function restore() {
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  for (const select of selects) {
    const wanted = params.get(select.dataset.filter) || "";
    select.value = [...select.options].some((o) => o.value === wanted) ? wanted : "";
  }
  onlineBox.checked = params.get("online") === onlineBox.value;
}

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

// Result links are root-relative; on the 关怀版 they stay in it.
function href(url) {
  return url.startsWith("/") ? root + url : url;
}

function renderHit(data, words, index) {
  const li = el("li", { class: "result", id: `r${index + 1}` });
  const a = el("a", { class: "result-title", href: href(data.url) }, data.meta.title || data.url);
  li.append(a, el("span", { class: "result-kind" }, KIND[data.meta.kind] || ""));
  if (data.meta.status) {
    const withdrawn = data.meta.status !== "暂停";
    li.append(" ", el("span", { class: `badge badge-${withdrawn ? "withdrawn" : "paused"}` }, data.meta.status));
  }
  if (data.meta.summary) li.append(el("p", { class: "result-meta" }, data.meta.summary));
  const p = el("p", { class: "result-excerpt" });
  for (const piece of excerpt(data, words)) p.append(piece.mark ? el("mark", {}, piece.text) : piece.text);
  if (p.textContent) li.append(p);
  return li;
}

// When nothing matched: items whose titles share the most characters with the query.
async function suggestions(raw) {
  const chars = new Set([...raw].filter((c) => /[\u4e00-\u9fff]/.test(c)));
  if (!chars.size) return [];
  const seen = new Map();
  for (const ch of chars) {
    const found = await pagefind.search(ch, { filters: { kind: "item" } });
    for (const r of found.results.slice(0, 20)) seen.set(r.id, { r, n: (seen.get(r.id)?.n || 0) + 1 });
  }
  const best = [...seen.values()].sort((a, b) => b.n - a.n).slice(0, 5);
  const datas = await Promise.all(best.map((e) => e.r.data()));
  return datas.filter((d) => [...chars].some((c) => (d.meta.title || "").includes(c)));
}

async function search({ focusFrom = -1 } = {}) {
  const raw = input.value.trim();
  const mine = ++generation;
  remember(raw);
  empty.hidden = true;
  suggest.hidden = true;
  moreBox.hidden = true;
  layout.hidden = !raw;
  if (!raw) { list.replaceChildren(); status.textContent = ""; return; }
  status.textContent = "正在搜索……";
  try {
    await load();
    const found = await runSearch(pagefind, raw, table, currentFilters(), { shown });
    if (mine !== generation) return;
    const datas = await Promise.all(found.results.slice(0, shown).map((r) => r.data()));
    if (mine !== generation) return;
    list.replaceChildren(...datas.map((d, i) => renderHit(d, found.words, i)));
    if (found.total) {
      status.textContent = `找到 ${found.total} 条与“${raw}”相关的结果`;
      moreBox.hidden = found.total <= shown;
      if (focusFrom >= 0) {
        // Keyboard and screen reader users continue at the first result just added.
        const next = list.querySelectorAll(".result-title")[focusFrom];
        if (next) next.focus();
      }
    } else {
      status.textContent = `没有找到与“${raw}”相关的结果`;
      empty.hidden = false;
      const close = queryTerms(raw, table).length ? await suggestions(raw) : [];
      if (mine !== generation) return;
      if (close.length) {
        suggest.querySelector("ul").replaceChildren(
          ...close.map((d) => { const li = el("li"); li.append(el("a", { href: href(d.url) }, d.meta.title)); return li; }),
        );
        suggest.hidden = false;
      }
    }
  } catch (err) {
    status.textContent = "搜索暂时无法使用，请稍后再试，或浏览全部办事指南。";
    console.warn("search failed", err);
  }
}

// Controls that need this script are shown only now that it runs.
for (const node of app.querySelectorAll("[data-needs-script]")) node.hidden = false;
if (filtersBox && window.matchMedia("(min-width: 48rem)").matches) filtersBox.open = true;

form.addEventListener("submit", (event) => {
  event.preventDefault();
  shown = PAGE;
  search();
});
for (const control of [...selects, onlineBox]) control.addEventListener("change", () => { shown = PAGE; search(); });
moreButton.addEventListener("click", () => {
  const from = shown;
  shown += PAGE;
  search({ focusFrom: from });
});

restore();
if (input.value.trim()) search();
