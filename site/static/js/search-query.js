// Reading a citizen's query the way the server does (search/text.py), and asking Pagefind.
//
// The browser has no jieba, so the build writes /pagefind/sunshine-query.json:
// filler phrases, one-character stop words, synonym groups and the words
// segmentation must keep whole.  Pagefind needs the words of a Chinese query
// separated by spaces; we cut with the build's word list first (longest
// match), then the browser's own segmenter for what is left.

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const RUNS = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+/g;

export function normalize(text, table) {
  let out = String(text || "").normalize("NFKC").toLowerCase();
  return out.slice(0, table.maxQuery || 100);
}

export function stripFillers(text, table) {
  let out = normalize(text, table);
  for (const phrase of table.fillers) out = out.split(phrase).join(" ");
  return out;
}

function browserWords(run) {
  if (typeof Intl !== "undefined" && Intl.Segmenter) {
    const seg = new Intl.Segmenter("zh", { granularity: "word" });
    return Array.from(seg.segment(run), (s) => s.segment);
  }
  return Array.from(run);
}

// Longest match against the build's word list; stretches it does not know go to the browser segmenter.
function segmentRun(run, table) {
  const dict = table._dict || (table._dict = new Set(table.words));
  const longest = table._longest || (table._longest = Math.max(1, ...table.words.map((w) => w.length)));
  const out = [];
  let unknown = "";
  let i = 0;
  while (i < run.length) {
    let hit = "";
    for (let n = Math.min(longest, run.length - i); n >= 2; n--) {
      if (dict.has(run.slice(i, i + n))) { hit = run.slice(i, i + n); break; }
    }
    if (hit) {
      if (unknown) { out.push(...browserWords(unknown)); unknown = ""; }
      out.push(hit);
      i += hit.length;
    } else {
      unknown += run[i];
      i += 1;
    }
  }
  if (unknown) out.push(...browserWords(unknown));
  return out;
}

// The meaningful words of a query: fillers and stop words gone, each word once.
export function queryTerms(raw, table) {
  const stop = table._stop || (table._stop = new Set(table.stop));
  const terms = [];
  for (const run of stripFillers(raw, table).match(RUNS) || []) {
    const pieces = CJK.test(run) ? segmentRun(run, table) : [run];
    for (const piece of pieces) {
      const word = piece.trim();
      if (word && !stop.has(word) && !terms.includes(word)) terms.push(word);
    }
  }
  return terms;
}

export function synonymsOf(term, table) {
  const out = [];
  for (const group of table.synonyms) {
    if (group.includes(term)) for (const w of group) if (w !== term && !out.includes(w)) out.push(w);
  }
  return out;
}

// Pagefind cuts a Chinese word of its index its own way and reads only part of an unspaced
// query word, so each of our words goes to it in the browser segmenter's pieces.
export function pagefindQuery(terms, table) {
  const stop = table._stop || (table._stop = new Set(table.stop));
  const pieces = [];
  for (const term of terms) {
    for (const piece of CJK.test(term) ? browserWords(term) : [term]) {
      if (piece.trim() && !stop.has(piece) && !pieces.includes(piece)) pieces.push(piece);
    }
  }
  return pieces.join(" ");
}

// --- Matching and ranking -------------------------------------------------------------------
//
// Pagefind answers a word it does not hold with the longest word it holds that begins it
// ("asdfgh" → "a", "火星" → "火"), and matches each piece of a long word anywhere in a record.
// So every word is checked against the records' own text before it counts: a word is kept when
// the best record Pagefind gives for it really holds it, and each record shown is checked too.

const ZWSP = /\u200b/g;
// Between a record's own text and the words it is only found by (search/pagefind_index.py).
export const HIDDEN_MARK = "\u3013";

function fold(text) {
  return String(text || "").replace(ZWSP, "").normalize("NFKC").toLowerCase();
}

function escapeRe(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// Does text hold the word: a Chinese word anywhere, a Latin word at the start of a word
// (a pinyin spelling begun, "jieh", finds "jiehun").
export function holds(text, word) {
  if (CJK.test(word)) return text.includes(word);
  return new RegExp("(^|[^0-9a-z])" + escapeRe(word)).test(text);
}

// The parts of a long Chinese word that may stand for it (two characters or more each), when the
// word is made of several: a record holding all of them answers the word, weakly.  A single
// character never stands for a longer word.
export function partsOf(word) {
  if (!CJK.test(word)) return [];
  const pieces = browserWords(word).map((p) => p.trim()).filter(Boolean);
  if (pieces.length < 2) return [];
  return pieces.filter((p) => p.length >= 2 && CJK.test(p));
}

// How a record answers one query word (the word and its synonyms): 3 in its name, 2 in the words
// that name it (keywords, synonyms, pinyin), 1 in its text or by all the parts of the word in its
// name and keywords, 0 not at all.
export function termTier(data, words) {
  const text = fold(data.content);
  const cut = text.indexOf(HIDDEN_MARK);
  const own = cut < 0 ? text : text.slice(0, cut);
  const hidden = cut < 0 ? "" : text.slice(cut);
  const title = fold(data.meta && data.meta.title);
  let best = 0;
  for (const word of words) {
    if (holds(title, word)) return 3;
    if (holds(hidden, word)) best = Math.max(best, 2);
    else if (holds(own, word)) best = Math.max(best, 1);
    else {
      const parts = partsOf(word);
      if (parts.length && parts.every((p) => holds(title, p) || holds(hidden, p))) best = Math.max(best, 1);
    }
  }
  return best;
}

const KIND_RANK = { item: 2, window: 1, department: 1, page: 1, news: 0 };

function rankKey(entry) {
  return [entry.terms, entry.tiers, KIND_RANK[entry.kind] ?? 0, entry.score];
}

function compareKeys(a, b) {
  const ka = rankKey(a), kb = rankKey(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i] - ka[i];
  return 0;
}

// Does the best record Pagefind gives for `word` hold it (or all its parts)?  When it does not,
// Pagefind answered a shorter word than the one asked.
async function answers(results, word) {
  if (!results.length) return false;
  const text = fold((await results[0].data()).content);
  if (holds(text, word)) return true;
  const parts = partsOf(word);
  return parts.length > 0 && parts.every((p) => holds(text, p));
}

// The results of one word and its synonyms.  Each is asked of Pagefind in the browser's pieces,
// then as written (Pagefind reads the longest word it knows that begins it), then — a long word
// only — each of its parts alone; the first answer that really holds the word is kept.
async function wordResults(pagefind, words, table, filters) {
  const found = new Map();
  const keep = (results) => {
    for (const r of results) {
      const seen = found.get(r.id);
      if (!seen || seen.score < r.score) found.set(r.id, r);
    }
  };
  const ask = async (query) => {
    const answer = query ? await pagefind.search(query, { filters }) : null;
    return (answer && answer.results) || [];
  };
  for (const word of words) {
    const tries = [pagefindQuery([word], table)];
    if (CJK.test(word) && tries[0] !== word) tries.push(word);
    let done = false;
    for (const query of tries) {
      const results = await ask(query);
      if (await answers(results, word)) { keep(results); done = true; break; }
    }
    if (done) continue;
    for (const part of partsOf(word)) {
      const results = await ask(part);
      if (await answers(results, part)) keep(results);
    }
  }
  return found;
}

// Records matching the query, best first: records holding more of the query's words, then those
// holding them in their name, then in their keywords, then in their text (as the server ranks).
// Only the first `check` records (at least `shown` + 5) are read and checked; the others follow
// in Pagefind's order until a later call checks them.  Results keep Pagefind's result objects.
export async function runSearch(pagefind, raw, table, filters = {}, { shown = 10, check = 15 } = {}) {
  const terms = queryTerms(raw, table);
  if (!terms.length) return { terms, words: [], results: [], total: 0 };
  const groups = terms.map((t) => [t, ...synonymsOf(t, table)]);
  const byId = new Map();
  for (const words of groups) {
    for (const r of (await wordResults(pagefind, words, table, filters)).values()) {
      const entry = byId.get(r.id) || { result: r, terms: 0, tiers: 0, score: 0, kind: "", checked: false };
      entry.terms += 1;
      entry.score += r.score;
      byId.set(r.id, entry);
    }
  }
  let entries = [...byId.values()].sort(compareKeys);
  const limit = Math.max(check, shown + 5);
  const head = entries.slice(0, limit);
  const datas = await Promise.all(head.map((e) => e.result.data()));
  head.forEach((entry, i) => {
    const tiers = groups.map((words) => termTier(datas[i], words));
    entry.terms = tiers.filter(Boolean).length;
    entry.tiers = tiers.reduce((a, b) => a + b, 0);
    entry.kind = (datas[i].meta && datas[i].meta.kind) || "";
    entry.checked = true;
  });
  const checked = head.filter((e) => e.terms > 0).sort(compareKeys);
  entries = [...checked, ...entries.slice(limit)];
  const words = groups.flat().filter((w) => CJK.test(w));
  return { terms, words, results: entries.map((e) => e.result), total: entries.length };
}

// --- Excerpts -----------------------------------------------------------------------------

const CLAUSE = /[。；，、：！？.;,:!?\s（(]/;

// The record's own text as the page shows it: no name, no keywords, synonyms or pinyin.
export function ownText(data) {
  let text = String(data.content || "").replace(ZWSP, "");
  const cut = text.indexOf(HIDDEN_MARK);
  if (cut >= 0) text = text.slice(0, cut);
  // Pagefind ends each block with ". "; in Chinese text that is the end of a sentence.
  text = text.replace(/([^\x00-\x7f])\.\s/g, "$1。").replace(/\s+/g, " ").trim();
  const title = String((data.meta && data.meta.title) || "");
  if (title && text.startsWith(title)) text = text.slice(title.length).replace(/^[。.\s]+/, "");
  return text;
}

// An excerpt of the record's own text around the first query word it holds, as
// [{text, mark}] pieces: every whole query word (or synonym) in it is marked.
export function excerpt(data, words, size = 110, before = 30) {
  const text = ownText(data);
  const wanted = [...new Set(words.filter((w) => w && text.toLowerCase().includes(w.toLowerCase())))]
    .sort((a, b) => b.length - a.length);
  const pattern = wanted.length ? new RegExp(wanted.map(escapeRe).join("|"), "gi") : null;
  let start = 0;
  const first = pattern ? text.search(pattern) : -1;
  if (first > before) {
    const lead = text.slice(first - before, first);
    let cut = -1;
    for (let i = lead.length - 1; i >= 0; i--) if (CLAUSE.test(lead[i])) { cut = i; break; }
    start = cut >= 0 ? first - before + cut + 1 : first;
  }
  const window = text.slice(start, start + size);
  const pieces = start ? [{ text: "…", mark: false }] : [];
  let at = 0;
  if (pattern) {
    for (const m of window.matchAll(pattern)) {
      if (m.index > at) pieces.push({ text: window.slice(at, m.index), mark: false });
      pieces.push({ text: m[0], mark: true });
      at = m.index + m[0].length;
    }
  }
  if (at < window.length) pieces.push({ text: window.slice(at), mark: false });
  if (start + size < text.length) pieces.push({ text: "…", mark: false });
  return pieces;
}
