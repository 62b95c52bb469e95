"""The server engine: a Whoosh index of the search documents, and the query behind ``/api/search``.

The index is written at build time (or at first use by a server without a
prebuilt one) and opened read-only, once per process.  Whoosh stores it
(postings, field lengths, stored fields); the query is evaluated here, over
postings read once and kept in memory, because Whoosh's own matchers cost a
Python call per matching record and per field: ~100-500 ms for a common word
in a 10,000-item center, where this takes a few milliseconds.

* A query is a list of *clauses*, one per word of the citizen's query (after
  :func:`search.text.query_terms`); a clause is the word, its synonyms and
  its parts looked for in every field (:func:`plan`).  The citizen's words
  never go through a query parser, so no input (quotes, ``AND``, ``*``, regex
  or SQL fragments) can be a syntax error.
* A record's score is BM25 per field times the field's weight
  (:data:`search.documents.WEIGHTS`), summed, scaled by how many of the
  query's words it matched, times the record's own boost (withdrawn items and
  non-items rank lower).  All of it is computed in one place, so the boosts
  need no second pass over the results.
* Records matched in their names (title, keywords, synonyms, pinyin) are
  scored first; records matched only in long fields are scored only when they
  could still reach the top (their best possible score is known), so a word
  found in every record's materials does not cost a score per record.
* Totals and facet counts are bit operations on per-word and per-facet-value
  bitmaps; snippets are cut from the stored body of the returned page only.
"""

from __future__ import annotations

import heapq
import html
import json
import math
import os
import re
import shutil
import tempfile
import threading
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rjieba
from whoosh import index as whoosh_index
from whoosh.analysis import LowercaseFilter, Token, Tokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.reading import IndexReader

from .documents import FACET_LABELS, WEIGHTS, SearchDocument
from .text import Synonyms, add_words, bigrams, is_latin, load_userdict, query_terms

#: Results per page the API allows (``limit`` is clamped into this range).
MIN_LIMIT, MAX_LIMIT, DEFAULT_LIMIT = 1, 50, 10
FACETS: tuple[str, ...] = tuple(FACET_LABELS)

_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-zA-Z０-９Ａ-Ｚａ-ｚ]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class JiebaTokenizer(Tokenizer):
    """Chinese words by jieba (search mode: long words and their parts), ASCII words as they are.

    Character offsets are those of the original text.
    """

    def __eq__(self, other: object) -> bool:
        return self.__class__ is other.__class__

    def __hash__(self) -> int:
        return hash(self.__class__)

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ):
        load_userdict()
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = start_pos
        for match in _RUN.finditer(value):
            run = match.group(0)
            if _CJK.match(run):
                at = match.start()
                pieces = [(w, at + s, at + e) for w, s, e in rjieba.tokenize(run, "search")]
            else:
                pieces = [(unicodedata.normalize("NFKC", run), match.start(), match.end())]
            for text, start, end in pieces:
                if not text.strip():
                    continue
                token.text = text
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = text
                if positions:
                    token.pos = pos
                    pos += 1
                if chars:
                    token.startchar = start_char + start
                    token.endchar = start_char + end
                yield token


def analyzer():  # type: ignore[no-untyped-def]
    return JiebaTokenizer() | LowercaseFilter()


def schema() -> Schema:
    """The index's fields.  Term weights are raw frequencies: field weights are applied when scoring."""
    text = {"analyzer": analyzer()}
    return Schema(
        key=ID(unique=True, stored=True),
        id=ID(stored=True),
        kind=ID(stored=True),
        url=STORED(),
        summary=STORED(),
        # Thousandths, as an integer column (Whoosh cannot write float columns).
        boost=NUMERIC(int, sortable=True),
        title=TEXT(stored=True, **text),
        keywords=TEXT(**text),
        synonyms=TEXT(**text),
        pinyin=KEYWORD(lowercase=True),
        materials=TEXT(**text),
        basis=TEXT(**text),
        body=TEXT(**text),
        # The record's own text (never keywords, synonyms or pinyin): what snippets are cut from.
        excerpt=STORED(),
        grams=KEYWORD(),
        **{f"f_{name}": KEYWORD(commas=True, stored=True) for name in FACETS},
    )


#: Fields a query word is looked for in (the pinyin and bigram fields are handled apart).
TEXT_FIELDS = ("title", "keywords", "synonyms", "materials", "basis", "body")
#: Fields the parts of a query word are looked for in (names only: parts are short and common).
PART_FIELDS = ("title", "keywords", "synonyms")
#: Fields that name a record: a record matched in one of them is always scored.
NAME_FIELDS = frozenset({"title", "keywords", "synonyms", "pinyin", "grams"})
#: Weight of each field in a score: the document model's, and 1 for the bigrams of a record's names.
FIELD_WEIGHTS: dict[str, float] = {**WEIGHTS, "grams": 1.0}
#: How strongly a match in a field ranks a record, before any score: its name, then the words that
#: name it (keywords, synonyms, pinyin, bigrams of names), then its text.
FIELD_TIERS: dict[str, int] = {
    "title": 3,
    "keywords": 2,
    "synonyms": 2,
    "pinyin": 2,
    "grams": 2,
    "materials": 1,
    "basis": 1,
    "body": 1,
}
#: BM25 parameters (term-frequency saturation, length normalisation): the usual values.
K1, B = 1.2, 0.75
#: Share of a record's score that depends on matching *all* the query's words (the rest is per word).
COORDINATION = 0.6
#: Pinyin prefixes (``jieh`` → ``jiehun``) expand to at most this many indexed spellings.
MAX_PREFIX_TERMS = 64
#: Postings kept in memory across queries (records × words); the least recently used go first.
CACHE_POSTINGS = 3_000_000
#: How often (seconds) a searcher looks whether the index on disk was rebuilt.
RECHECK_SECONDS = 1.0


def _facet_value(values: tuple[str, ...]) -> str:
    return ",".join(v.replace(",", " ") for v in values)


#: Beside the index: the synonym groups and the words segmentation keeps whole, for the searcher.
ANALYSIS_FILE = "sunshine-analysis.json"


def build_whoosh(
    docs: list[SearchDocument], index_dir: Path, synonyms: Synonyms, vocabulary: list[str] | None = None
) -> Path:
    """Write a fresh index of ``docs`` at ``index_dir``, replacing any old one only once it is complete."""
    load_userdict()
    add_words(vocabulary or ())
    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{index_dir.name}.new-", dir=index_dir.parent))
    try:
        analysis = {"synonyms": [list(g) for g in synonyms.groups], "words": sorted(set(vocabulary or ()))}
        ix = whoosh_index.create_in(str(fresh), schema())
        writer = ix.writer(limitmb=256)
        for doc in docs:
            writer.add_document(
                key=doc.key,
                id=doc.id,
                kind=doc.kind,
                url=doc.url,
                summary=doc.summary,
                boost=round(doc.boost * 1000),
                title=doc.title,
                keywords=" ".join(doc.keywords),
                synonyms=" ".join(doc.synonyms),
                pinyin=" ".join(doc.pinyin),
                materials="；".join(doc.materials),
                basis="；".join(doc.basis),
                body=doc.body,
                excerpt=doc.own_text,
                grams=" ".join(dict.fromkeys(bigrams(" ".join((doc.title, *doc.keywords, *doc.synonyms))))),
                **{f"f_{name}": _facet_value(doc.facets.get(name, ())) for name in FACETS},
            )
        writer.commit()
        # Written last: a searcher takes a new analysis file as the sign of a new index.
        (fresh / ANALYSIS_FILE).write_text(json.dumps(analysis, ensure_ascii=False), "utf-8")
        old = index_dir.with_name(f".{index_dir.name}.old-{os.getpid()}-{time.monotonic_ns()}")
        if index_dir.exists():
            index_dir.rename(old)
        fresh.rename(index_dir)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return index_dir


def clamp_limit(value: object, default: int = DEFAULT_LIMIT) -> int:
    """``limit`` as given by a client, bounded to 1..50 (anything unreadable is the default)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return max(MIN_LIMIT, min(MAX_LIMIT, number))


@dataclass
class Hit:
    id: str
    kind: str
    title: str
    url: str
    snippet: str
    score: float
    summary: str = ""
    #: 事项状态 of an item not in service (暂停, 已取消, 已下放); empty otherwise.
    status: str = ""

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "url": self.url,
            "snippet": self.snippet,
            "score": round(self.score, 4),
            "summary": self.summary,
            "status": self.status,
        }


@dataclass
class Response:
    query: str
    terms: list[str]
    total: int
    results: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        return {
            "query": self.query,
            "total": self.total,
            "results": [h.as_json() for h in self.results],
            "facets": self.facets,
        }


# --- the query -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Alternative:
    """One way a record matches a query word.

    ``op`` is ``term`` (the word in ``field``), ``all`` (every one of ``words``
    in ``field``: the bigrams of a long word, for records segmented differently)
    or ``prefix`` (an indexed pinyin spelling starting with the word).
    """

    op: str
    field: str
    words: tuple[str, ...]
    boost: float = 1.0

    @property
    def tier(self) -> int:
        """The rank a match of this alternative gives (a part of a word ranks one step lower)."""
        tier = FIELD_TIERS[self.field]
        return max(1, tier - 1) if self.boost < 1 else tier

    @property
    def whole(self) -> bool:
        """A whole query word (or synonym) rather than one of its parts: what excerpts highlight."""
        return self.op == "term" and self.boost >= 1 and self.field in TEXT_FIELDS


def plan(terms: list[str], synonyms: Synonyms) -> list[list[Alternative]]:
    """One clause per query word: the word and its synonyms in every field, bigrams, parts, pinyin."""
    clauses: list[list[Alternative]] = []
    for term in terms:
        alternatives: list[Alternative] = []
        for word in [term, *synonyms.of(term)]:
            alternatives.extend(Alternative("term", f, (word,)) for f in TEXT_FIELDS)
            grams = tuple(dict.fromkeys(bigrams(word)))
            if len(word) > 2 and grams:
                alternatives.append(Alternative("all", "grams", grams, 2.0))
        # The parts of a word the records were cut differently around (不动产登记 → 不动产, 登记).
        parts = [p for p in dict.fromkeys(rjieba.cut_for_search(term)) if p != term and len(p) >= 2]
        alternatives.extend(Alternative("term", f, (p,), 0.5) for p in parts for f in PART_FIELDS)
        if is_latin(term):
            alternatives.append(Alternative("term", "pinyin", (term,), 2.0))
            if len(term) >= 2:
                alternatives.append(Alternative("prefix", "pinyin", (term,)))
        clauses.append(alternatives)
    return clauses


@dataclass
class Postings:
    """The records one alternative matches: record → score (before the alternative's boost), and a bitmap."""

    scores: dict[int, float]
    bits: int
    best: float

    @classmethod
    def of(cls, scores: dict[int, float]) -> Postings:
        return cls(scores, bitmap(scores), max(scores.values(), default=0.0))


EMPTY = Postings({}, 0, 0.0)


def bitmap(docnums: Iterable[int]) -> int:
    """A set of record numbers as the bits of one integer (unions, intersections and counts run in C)."""
    buf = bytearray()
    for d in docnums:
        byte = d >> 3
        if byte >= len(buf):
            buf.extend(bytes(byte + 1 - len(buf)))
        buf[byte] |= 1 << (d & 7)
    return int.from_bytes(buf, "little")


# --- snippets --------------------------------------------------------------------------------------

SNIPPET_CHARS, SNIPPET_BEFORE = 120, 30
_CLAUSE_MARKS = "。；，、：！？.;,:!? \n（("


def snippet(text: str, words: Iterable[str], parts: Iterable[str] = ()) -> str:
    """HTML: a window of ``text`` around the first of ``words`` it holds, each occurrence in ``<mark>``.

    ``words`` are the query's whole words and their synonyms; ``parts`` (pieces
    of a long word, two characters or more) are marked only when no whole word
    occurs.  Plain string search over the stored text of the one page of
    results shown: no re-analysis, so highlighting costs microseconds per hit.
    """
    if not text:
        return ""
    folded = text.lower()
    chosen = [w for w in words if w.strip() and w.lower() in folded]
    if not chosen:
        chosen = [w for w in parts if len(w) >= 2 and w.lower() in folded]
    wanted = sorted(set(chosen), key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, wanted)), re.IGNORECASE) if wanted else None
    first = pattern.search(text) if pattern else None
    start = 0
    if first and first.start() > SNIPPET_BEFORE:
        # Begin at the start of the clause holding the match, so the excerpt never opens mid-word.
        lead = text[first.start() - SNIPPET_BEFORE : first.start()]
        cut = max(lead.rfind(mark) for mark in _CLAUSE_MARKS)
        start = first.start() - SNIPPET_BEFORE + cut + 1 if cut >= 0 else first.start()
    window = text[start : start + SNIPPET_CHARS]
    out: list[str] = ["…"] if start else []
    at = 0
    for hit in pattern.finditer(window) if pattern else ():
        out += [html.escape(window[at : hit.start()]), f'<mark class="hl">{html.escape(hit.group())}</mark>']
        at = hit.end()
    out.append(html.escape(window[at:]))
    if start + SNIPPET_CHARS < len(text):
        out.append("…")
    return "".join(out)


# --- the searcher ----------------------------------------------------------------------------------


class _Snapshot:
    """One opened index: its reader, what every query needs in memory, and the postings read so far."""

    def __init__(self, index_dir: Path):
        self.stamp = _stamp(index_dir)
        self.index = whoosh_index.open_dir(str(index_dir), readonly=True)
        self.reader: IndexReader = self.index.reader()
        analysis = json.loads((index_dir / ANALYSIS_FILE).read_text("utf-8"))
        self.synonyms = Synonyms({group[0]: group[1:] for group in analysis["synonyms"]})
        add_words(analysis["words"])
        self.size = self.reader.doc_count_all()
        column = self.reader.column_reader("boost", translate=True)
        self.boosts: list[float] = [b / 1000 for b in column]
        self.max_boost = max(self.boosts, default=1.0)
        self.lock = threading.Lock()  # Whoosh's file reads are not safe to share between threads
        self.lengths: dict[str, tuple[list[int], float]] = {}
        self.cache: OrderedDict[tuple[str, str, tuple[str, ...]], Postings] = OrderedDict()
        self.cached = 0
        #: facet → value → (bitmap, set of record numbers)
        self.facets: dict[str, dict[str, tuple[int, frozenset[int]]]] = {}
        for name in FACETS:
            values: dict[str, tuple[int, frozenset[int]]] = {}
            for value in self.reader.lexicon(f"f_{name}"):
                docs = frozenset(self.reader.postings(f"f_{name}", value).all_ids())
                values[value.decode("utf-8")] = (bitmap(docs), docs)
            self.facets[name] = values

    def close(self) -> None:
        self.reader.close()

    def _field_lengths(self, name: str) -> tuple[list[int], float]:
        """Each record's length of field ``name`` and the average, for BM25's length normalisation."""
        if name not in self.lengths:
            if self.reader.schema[name].scorable:
                lengths = [self.reader.doc_field_length(d, name, 0) or 0 for d in range(self.size)]
                average = (sum(lengths) / self.size) if self.size else 1.0
            else:
                lengths, average = [], 1.0
            self.lengths[name] = (lengths, average or 1.0)
        return self.lengths[name]

    def _term(self, name: str, word: str) -> Postings:
        """BM25 × field weight of ``word`` in field ``name`` for every record holding it."""
        text = self.reader.schema[name].to_bytes(word)
        if (name, text) not in self.reader:
            return EMPTY
        idf = math.log(self.size / (self.reader.doc_frequency(name, text) + 1)) + 1
        lengths, average = self._field_lengths(name)
        weight = FIELD_WEIGHTS[name] * idf * (K1 + 1)
        matcher = self.reader.postings(name, text)
        scores: dict[int, float] = {}
        while matcher.is_active():
            doc, tf = matcher.id(), matcher.weight()
            norm = (1 - B + B * lengths[doc] / average) if lengths else 1.0
            scores[doc] = weight * tf / (tf + K1 * norm)
            matcher.next()
        return Postings.of(scores)

    def _compute(self, alt: Alternative) -> Postings:
        if alt.op == "term":
            return self._term(alt.field, alt.words[0])
        if alt.op == "all":
            parts = [self._get(Alternative("term", alt.field, (w,))) for w in alt.words]
            parts.sort(key=lambda p: len(p.scores))
            if not parts or not parts[0].scores:
                return EMPTY
            scores = {
                d: sum(p.scores[d] for p in parts)
                for d in parts[0].scores
                if all(d in p.scores for p in parts[1:])
            }
            return Postings.of(scores)
        # prefix: a pinyin spelling begun is a match of constant weight, whatever it completes to.
        prefix = alt.words[0].encode("utf-8")
        docs: set[int] = set()
        for n, text in enumerate(self.reader.expand_prefix(alt.field, prefix)):
            if n >= MAX_PREFIX_TERMS:
                break
            docs.update(self.reader.postings(alt.field, text).all_ids())
        return Postings.of(dict.fromkeys(docs, FIELD_WEIGHTS[alt.field] * 0.5))

    def _get(self, alt: Alternative) -> Postings:
        """The postings of ``alt`` (boost not applied), from memory when read before.  Call under the lock."""
        key = (alt.op, alt.field, alt.words)
        found = self.cache.get(key)
        if found is not None:
            self.cache.move_to_end(key)
            return found
        found = self._compute(alt)
        self.cache[key] = found
        self.cached += len(found.scores)
        while self.cached > CACHE_POSTINGS and len(self.cache) > 1:
            _, dropped = self.cache.popitem(last=False)
            self.cached -= len(dropped.scores)
        return found

    def resolve(self, clauses: list[list[Alternative]]) -> list[list[Resolved]]:
        """Each clause's non-empty alternatives, with their postings."""
        with self.lock:
            return [
                [
                    Resolved(p, alt.boost, alt.field in NAME_FIELDS, alt.tier)
                    for alt in clause
                    if (p := self._get(alt)).scores
                ]
                for clause in clauses
            ]

    def stored(self, docnum: int) -> dict[str, Any]:
        with self.lock:
            return self.reader.stored_fields(docnum)


def _stamp(index_dir: Path) -> tuple[int, int] | None:
    try:
        st = (index_dir / ANALYSIS_FILE).stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns)


@dataclass(frozen=True)
class Resolved:
    """An alternative of a clause with its postings: how much it adds and how high it ranks a record."""

    postings: Postings
    boost: float
    names: bool
    tier: int


#: A record's rank: (query words matched, sum of each word's best tier, score × the record's boost).
RankKey = tuple[int, int, float]


def _score(clauses: list[list[Resolved]], doc: int, count: int) -> float:
    """A record's score before its boost: per-word sums, scaled by the share of words it matched."""
    return _key(clauses, doc, count, 1.0)[2]


def _key(clauses: list[list[Resolved]], doc: int, count: int, boost: float) -> RankKey:
    """How a record ranks: more of the query's words first, then matches in its name, then score.

    Words found in a record's name rank it above words found only in its
    keywords, and those above words found only in its text, whatever BM25 says.
    """
    total, matched, tiers = 0.0, 0, 0
    for clause in clauses:
        s, tier = 0.0, 0
        for alt in clause:
            value = alt.postings.scores.get(doc)
            if value is not None:
                s += value * alt.boost
                tier = max(tier, alt.tier)
        if s:
            total += s
            matched += 1
            tiers += tier
    return matched, tiers, total * ((1 - COORDINATION) + COORDINATION * matched / count) * boost


class WhooshSearch:
    """The searcher of one index folder; share one per process (it is thread-safe).

    It keeps the index open and reopens it when the folder is rebuilt (a new
    analysis file is the sign), checking at most once per :data:`RECHECK_SECONDS`.
    """

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self._snapshot = _Snapshot(self.index_dir)
        self._checked = time.monotonic()
        self._reopen = threading.Lock()
        # The snapshot replaced last, closed at the next replacement: queries still running on it finish.
        self._retired: _Snapshot | None = None

    @property
    def synonyms(self) -> Synonyms:
        return self._snapshot.synonyms

    def _current(self) -> _Snapshot:
        now = time.monotonic()
        if now - self._checked >= RECHECK_SECONDS:
            self._checked = now
            stamp = _stamp(self.index_dir)
            if stamp is not None and stamp != self._snapshot.stamp:
                with self._reopen:
                    if stamp != self._snapshot.stamp:
                        if self._retired is not None:
                            self._retired.close()
                        self._retired, self._snapshot = self._snapshot, _Snapshot(self.index_dir)
        return self._snapshot

    def search(
        self,
        query: str | None,
        *,
        filters: dict[str, str] | None = None,
        limit: object = DEFAULT_LIMIT,
        facets: bool = True,
    ) -> Response:
        """The best ``limit`` matches of ``query`` within ``filters`` (facet → value), and facet counts."""
        raw = (query or "")[:500]
        terms = query_terms(raw)
        snap = self._current()
        clauses = plan(terms, snap.synonyms)
        if not clauses:
            return Response(raw, terms, 0, [])
        limit = clamp_limit(limit)
        resolved = snap.resolve(clauses)

        allowed_bits, allowed = -1, None
        for name, value in (filters or {}).items():
            if name in FACETS and value:
                bits, docs = snap.facets[name].get(value, (0, frozenset()))
                allowed_bits &= bits
                allowed = docs if allowed is None else allowed & docs

        matched = 0
        for clause in resolved:
            for alt in clause:
                matched |= alt.postings.bits
        matched &= allowed_bits
        total = matched.bit_count()
        counts: dict[str, dict[str, int]] = {}
        if facets:
            for name in FACETS:
                found = ((v, (matched & bits).bit_count()) for v, (bits, _) in snap.facets[name].items())
                counts[name] = dict(sorted((v, n) for v, n in found if n))
        if not total:
            return Response(raw, terms, 0, [], counts)

        ranked = self._rank(snap, resolved, allowed, limit)
        words = [w for clause in clauses for alt in clause if alt.whole for w in alt.words]
        parts = [
            w for clause in clauses for alt in clause if alt.op == "term" and not alt.whole for w in alt.words
        ]
        hits = []
        for doc, score in ranked:
            stored = snap.stored(doc)
            hits.append(
                Hit(
                    id=stored["id"],
                    kind=stored["kind"],
                    title=stored["title"],
                    url=stored["url"],
                    snippet=snippet(stored.get("excerpt", ""), words, parts),
                    score=score,
                    summary=stored.get("summary", ""),
                    status="" if stored.get("f_status", "") in ("", "在办") else stored["f_status"],
                )
            )
        return Response(raw, terms, total, hits, counts)

    @staticmethod
    def _rank(
        snap: _Snapshot,
        clauses: list[list[Resolved]],
        allowed: frozenset[int] | None,
        limit: int,
    ) -> list[tuple[int, float]]:
        """The ``limit`` best (record, score) pairs, best first by :func:`_key` (ties: index order)."""
        count = len(clauses)

        def best(candidates: set[int]) -> list[tuple[int, RankKey]]:
            if allowed is not None:
                candidates &= allowed
            keyed = ((d, _key(clauses, d, count, snap.boosts[d])) for d in candidates)
            return heapq.nsmallest(limit, keyed, key=lambda pair: (*(-k for k in pair[1]), pair[0]))

        named = set().union(*(a.postings.scores for clause in clauses for a in clause if a.names))
        top = best(named)
        if len(top) == limit:
            # A record matched only in long fields has tier 1 per word and scores at most the sum of
            # their best values: it cannot pass a record that matched every word, one of them in its name,
            # unless it outscores it.
            matched, tiers, score = top[-1][1]
            ceiling = sum(a.postings.best * a.boost for clause in clauses for a in clause if not a.names)
            if matched == count and tiers > count and score > ceiling * snap.max_boost:
                return [(d, key[2]) for d, key in top]
        every = set().union(*(a.postings.scores for clause in clauses for a in clause))
        return [(d, key[2]) for d, key in best(every)]

    def close(self) -> None:
        for snapshot in (self._snapshot, self._retired):
            if snapshot is not None:
                snapshot.close()
