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

// Ask Pagefind: all words together first; when that finds nothing, each piece of each
// word (and of its synonyms) alone, ranking records by how many pieces they match.
export async function runSearch(pagefind, raw, table, filters = {}) {
  const terms = queryTerms(raw, table);
  if (!terms.length) return { terms, results: [], total: 0 };
  const whole = await pagefind.search(pagefindQuery(terms, table), { filters });
  if (whole && whole.results.length) return { terms, results: whole.results, total: whole.results.length };
  const pieces = [];
  for (const term of terms) {
    for (const alt of [term, ...synonymsOf(term, table)]) {
      for (const piece of pagefindQuery([alt], table).split(" ")) if (piece && !pieces.includes(piece)) pieces.push(piece);
    }
  }
  const byId = new Map();
  for (const piece of pieces) {
    const found = await pagefind.search(piece, { filters });
    for (const r of (found && found.results) || []) {
      const entry = byId.get(r.id) || { result: r, words: 0, score: 0 };
      entry.words += 1;
      entry.score += r.score;
      byId.set(r.id, entry);
    }
  }
  const merged = [...byId.values()].sort((a, b) => b.words - a.words || b.score - a.score);
  return { terms, results: merged.map((e) => e.result), total: merged.length };
}
