// The static site's search page: reads ?q=, asks the Pagefind bundle, shows Chinese results.
// No framework, no CDN: the bundle is loaded from /pagefind/ of this site, on the first query.
// The filter menus come filled from the build, so Pagefind's filter lists are fetched only
// when a filter is applied, never to show the choices.
import { runSearch, queryTerms } from "./search-query.js";

const app = document.getElementById("search-app");
const bundle = app.dataset.bundle;
const form = app.querySelector("form");
const input = document.getElementById("search-q");
const layout = app.querySelector(".search-layout");
const status = document.getElementById("search-status");
const list = document.getElementById("search-list");
const empty = document.getElementById("search-empty");
const suggest = document.getElementById("search-suggest");
const selects = [...app.querySelectorAll("select[data-filter]")];
const onlineBox = app.querySelector("input[data-filter=online]");
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
    await pf.options({ excerptLength: 40, highlightParam: null, noWorker: true });
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

function el(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text) node.textContent = text;
  return node;
}

// Pinyin spellings are indexed so that "sfz" or "jiehun" match, but they mean nothing to a reader.
const PINYIN_RUN = /(^|\s)[a-z]{2,}(?=\s|$)/g;

// Pagefind excerpts are HTML with <mark>; keep only text and <mark>, whatever the record held,
// and drop the pinyin an excerpt may have picked up from the hidden pinyin field: unmarked words,
// and marked ones the citizen did not type (Pagefind marks "sfzdl" for the prefix "sfz").
function safeExcerpt(html, typed) {
  const holder = document.createElement("template");
  holder.innerHTML = html;
  const out = document.createElement("span");
  for (const node of holder.content.childNodes) {
    if (node.nodeName === "MARK") {
      const word = node.textContent.trim();
      if (/^[a-z]+$/i.test(word) && !typed.has(word.toLowerCase())) continue;
      out.append(el("mark", {}, word), " ");
    } else out.append(node.textContent.replace(PINYIN_RUN, "$1").replace(/\s+/g, " "));
  }
  return out;
}

function renderHit(data, typed) {
  const li = el("li", { class: "result" });
  const a = el("a", { class: "result-title", href: data.url }, data.meta.title || data.url);
  li.append(a, el("span", { class: "result-kind" }, KIND[data.meta.kind] || ""));
  if (data.meta.summary) li.append(el("p", { class: "result-meta" }, data.meta.summary));
  const p = el("p", { class: "result-excerpt" });
  p.append(safeExcerpt(data.excerpt || "", typed));
  li.append(p);
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
  return Promise.all(best.map((e) => e.r.data()));
}

async function search() {
  const raw = input.value.trim();
  const mine = ++generation;
  list.replaceChildren();
  empty.hidden = true;
  suggest.hidden = true;
  layout.hidden = !raw;
  if (!raw) { status.textContent = ""; return; }
  status.textContent = "正在搜索……";
  try {
    await load();
    const found = await runSearch(pagefind, raw, table, currentFilters());
    if (mine !== generation) return;
    const datas = await Promise.all(found.results.slice(0, shown).map((r) => r.data()));
    if (mine !== generation) return;
    const typed = new Set(raw.toLowerCase().split(/[^a-z]+/).filter(Boolean));
    list.replaceChildren(...datas.map((d) => renderHit(d, typed)));
    if (found.total) {
      status.textContent = `找到 ${found.total} 条与“${raw}”相关的结果`;
      if (found.total > shown) {
        const li = el("li", { class: "result-more" });
        const more = el("button", { type: "button", class: "button" }, "显示更多结果");
        more.addEventListener("click", () => { shown += PAGE; search(); });
        li.append(more);
        list.append(li);
      }
    } else {
      status.textContent = `没有找到与“${raw}”相关的结果`;
      empty.hidden = false;
      const close = queryTerms(raw, table).length ? await suggestions(raw) : [];
      if (mine !== generation) return;
      if (close.length) {
        suggest.querySelector("ul").replaceChildren(
          ...close.map((d) => { const li = el("li"); li.append(el("a", { href: d.url }, d.meta.title)); return li; }),
        );
        suggest.hidden = false;
      }
    }
  } catch (err) {
    status.textContent = "搜索暂时无法使用，请稍后再试，或浏览全部办事指南。";
    console.warn("search failed", err);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  shown = PAGE;
  const url = new URL(location.href);
  url.searchParams.set("q", input.value.trim());
  history.replaceState(null, "", url);
  search();
});
for (const control of [...selects, onlineBox]) control.addEventListener("change", () => { shown = PAGE; search(); });

const initial = new URLSearchParams(location.search).get("q") || "";
input.value = initial;
if (initial.trim()) search();
