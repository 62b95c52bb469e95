"""The server engine: a Whoosh index of the search documents, and the query behind ``/api/search``.

The index is written at build time (or at first use by a server without a
prebuilt one) and opened read-only.  Queries never go through Whoosh's query
parser: the citizen's words are read by :mod:`search.text` and assembled into
query objects, so no input (quotes, ``AND``, ``*``, regex or SQL fragments)
can be a syntax error.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rjieba
from whoosh import index as whoosh_index
from whoosh import query as Q
from whoosh import scoring, sorting
from whoosh.analysis import LowercaseFilter, Token, Tokenizer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.highlight import ContextFragmenter, HtmlFormatter

from .documents import FACET_LABELS, WEIGHTS, SearchDocument
from .text import Synonyms, add_words, bigrams, is_latin, load_userdict, query_terms

#: Results per page the API allows (``limit`` is clamped into this range).
MIN_LIMIT, MAX_LIMIT, DEFAULT_LIMIT = 1, 50, 10
#: How many of the best matches are re-ranked with the documents' boosts before cutting to ``limit``.
RERANK_DEPTH = 100
FACETS: tuple[str, ...] = tuple(FACET_LABELS)

_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-zA-Z０-９Ａ-Ｚａ-ｚ]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


class JiebaTokenizer(Tokenizer):
    """Chinese words by jieba (search mode: long words and their parts), ASCII words as they are.

    Character offsets are those of the original text, so Whoosh can highlight it.
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
    """Fields and their weights (from the document model's WEIGHTS)."""
    text = {"analyzer": analyzer()}
    return Schema(
        key=ID(unique=True, stored=True),
        id=ID(stored=True),
        kind=ID(stored=True),
        url=STORED(),
        summary=STORED(),
        boost=NUMERIC(float, stored=True),
        title=TEXT(stored=True, field_boost=WEIGHTS["title"], **text),
        keywords=TEXT(field_boost=WEIGHTS["keywords"], **text),
        synonyms=TEXT(field_boost=WEIGHTS["synonyms"], **text),
        pinyin=KEYWORD(lowercase=True, field_boost=WEIGHTS["pinyin"]),
        materials=TEXT(field_boost=WEIGHTS["materials"], **text),
        basis=TEXT(field_boost=WEIGHTS["basis"], **text),
        body=TEXT(stored=True, field_boost=WEIGHTS["body"], **text),
        grams=KEYWORD(),
        **{f"f_{name}": KEYWORD(commas=True, stored=True) for name in FACETS},
    )


#: Fields a query word is looked for in (the pinyin and bigram fields are handled apart).
TEXT_FIELDS = ("title", "keywords", "synonyms", "materials", "basis", "body")
#: Fields the parts of a query word are looked for in (names only: parts are short and common).
PART_FIELDS = ("title", "keywords", "synonyms")


def _facet_value(values: tuple[str, ...]) -> str:
    return ",".join(v.replace(",", " ") for v in values)


#: Beside the index: the synonym groups and the words segmentation keeps whole, for the searcher.
ANALYSIS_FILE = "sunshine-analysis.json"


def build_whoosh(
    docs: list[SearchDocument], index_dir: Path, synonyms: Synonyms, vocabulary: list[str] | None = None
) -> Path:
    """Write a fresh index of ``docs`` at ``index_dir`` (replacing any old one)."""
    load_userdict()
    add_words(vocabulary or ())
    if index_dir.exists():
        shutil.rmtree(index_dir)
    index_dir.mkdir(parents=True)
    analysis = {"synonyms": [list(g) for g in synonyms.groups], "words": sorted(set(vocabulary or ()))}
    (index_dir / ANALYSIS_FILE).write_text(json.dumps(analysis, ensure_ascii=False), "utf-8")
    ix = whoosh_index.create_in(str(index_dir), schema())
    writer = ix.writer(limitmb=256)
    for doc in docs:
        writer.add_document(
            key=doc.key,
            id=doc.id,
            kind=doc.kind,
            url=doc.url,
            summary=doc.summary,
            boost=doc.boost,
            title=doc.title,
            keywords=" ".join(doc.keywords),
            synonyms=" ".join(doc.synonyms),
            pinyin=" ".join(doc.pinyin),
            materials="；".join(doc.materials),
            basis="；".join(doc.basis),
            body=doc.body,
            grams=" ".join(dict.fromkeys(bigrams(" ".join((doc.title, *doc.keywords, *doc.synonyms))))),
            **{f"f_{name}": _facet_value(doc.facets.get(name, ())) for name in FACETS},
        )
    writer.commit()
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

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "url": self.url,
            "snippet": self.snippet,
            "score": round(self.score, 4),
            "summary": self.summary,
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


def build_query(terms: list[str], synonyms: Synonyms) -> Q.Query | None:
    """One clause per query word (any of its synonyms, in any field); words are OR-ed, more is better."""
    clauses: list[Q.Query] = []
    for term in terms:
        alternatives: list[Q.Query] = []
        for word in [term, *synonyms.of(term)]:
            alternatives.extend(Q.Term(f, word) for f in TEXT_FIELDS)
            grams = bigrams(word)
            if len(word) > 2 and grams:
                alternatives.append(Q.And([Q.Term("grams", g) for g in grams], boost=2.0))
        # The parts of a word the records were cut differently around (不动产登记 → 不动产, 登记).
        parts = [p for p in dict.fromkeys(rjieba.cut_for_search(term)) if p != term and len(p) >= 2]
        if parts:
            alternatives.append(Q.Or([Q.Term(f, p) for p in parts for f in PART_FIELDS], boost=0.5))
        if is_latin(term):
            alternatives.append(Q.Term("pinyin", term, boost=2.0))
            if len(term) >= 2:
                alternatives.append(Q.Prefix("pinyin", term))
        clauses.append(Q.Or(alternatives))
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else Q.Or(clauses, scale=0.9)


class WhooshSearch:
    """A read-only view of one index; safe to share between threads (one Whoosh searcher per thread)."""

    def __init__(self, index_dir: Path):
        self.index_dir = Path(index_dir)
        self.index = whoosh_index.open_dir(str(self.index_dir), readonly=True)
        analysis = json.loads((self.index_dir / ANALYSIS_FILE).read_text("utf-8"))
        self.synonyms = Synonyms({group[0]: group[1:] for group in analysis["synonyms"]})
        add_words(analysis["words"])
        self._local = threading.local()
        self._formatter = HtmlFormatter(tagname="mark", classname="hl", termclass="hl")
        self._fragmenter = ContextFragmenter(maxchars=120, surround=30)

    def _searcher(self):  # type: ignore[no-untyped-def]
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self.index.searcher(weighting=scoring.BM25F())
            self._local.searcher = searcher
        return searcher

    def search(
        self, query: str | None, *, filters: dict[str, str] | None = None, limit: object = DEFAULT_LIMIT
    ) -> Response:
        """The best ``limit`` matches of ``query`` within ``filters`` (facet → value), with facet counts."""
        raw = (query or "")[:500]
        terms = query_terms(raw)
        q = build_query(terms, self.synonyms)
        if q is None:
            return Response(raw, terms, 0, [])
        limit = clamp_limit(limit)
        wanted = {k: v for k, v in (filters or {}).items() if k in FACETS and v}
        filter_q = Q.And([Q.Term(f"f_{k}", v) for k, v in wanted.items()]) if wanted else None
        searcher = self._searcher()
        grouped = {name: sorting.FieldFacet(f"f_{name}", allow_overlap=True) for name in FACETS}
        results = searcher.search(q, limit=max(RERANK_DEPTH, limit), filter=filter_q, groupedby=grouped)
        results.fragmenter = self._fragmenter
        results.formatter = self._formatter
        ranked = sorted(results, key=lambda hit: -(hit.score * (hit.get("boost") or 1.0)))[:limit]
        hits = [
            Hit(
                id=hit["id"],
                kind=hit["kind"],
                title=hit["title"],
                url=hit["url"],
                snippet=hit.highlights("body") or html.escape(hit.get("body", "")[:120]),
                score=hit.score * (hit.get("boost") or 1.0),
                summary=hit.get("summary", ""),
            )
            for hit in ranked
        ]
        facets = {
            name: dict(sorted((v, len(docs)) for v, docs in results.groups(name).items() if v))
            for name in FACETS
        }
        return Response(raw, terms, len(results), hits, facets)

    def close(self) -> None:
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            searcher.close()
            self._local.searcher = None
