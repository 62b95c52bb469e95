"""Text analysis shared by both engines: segmentation, filler words, synonyms and pinyin.

Everything that decides *which words a record or a query is made of* lives
here, so the static engine (Pagefind, fed at build time and queried by
``site/static/js/search.js``) and the server engine (Whoosh) see the same
words.  The browser cannot run jieba, so what it needs (filler words and the
synonym table) is exported by :func:`browser_table` as one small JSON file.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path

import rjieba
from pypinyin import Style, lazy_pinyin

USERDICT = Path(__file__).with_name("userdict.txt")

#: Longest query we look at; anything beyond is cut (a pasted paragraph must not cost seconds).
MAX_QUERY_CHARS = 100

#: Phrases citizens wrap around what they want ("开饭店要办什么证", "身份证丢了怎么办").
#: Longest first, so "需要什么材料" goes before "什么".  The JS strips the same list.
FILLER_PHRASES: tuple[str, ...] = tuple(
    sorted(
        {
            "需要哪些材料",
            "需要什么材料",
            "要什么材料",
            "要哪些材料",
            "需要什么证件",
            "要带什么",
            "需要带什么",
            "带什么材料",
            "要办什么证",
            "需要办什么证",
            "要办哪些证",
            "办什么证",
            "要办什么手续",
            "需要什么手续",
            "要什么手续",
            "什么手续",
            "哪些手续",
            "怎么办理",
            "如何办理",
            "怎样办理",
            "怎么申请",
            "如何申请",
            "怎样申请",
            "在哪里办理",
            "在哪儿办理",
            "在哪里办",
            "在哪儿办",
            "去哪里办",
            "去哪儿办",
            "到哪里办",
            "到哪儿办",
            "哪里办",
            "哪儿办",
            "在哪里",
            "在哪儿",
            "去哪里",
            "到哪里",
            "怎么办",
            "咋办",
            "怎么弄",
            "咋弄",
            "怎么",
            "如何",
            "怎样",
            "什么",
            "哪些",
            "哪里",
            "哪儿",
            "需要",
            "多少钱",
            "多久",
            "多长时间",
            "请问",
            "我想",
            "我要",
            "想要",
            "可以",
            "能不能",
            "是否",
        },
        key=lambda s: (-len(s), s),
    )
)

#: Single-character words that carry no meaning on their own after segmentation (not stripped
#: before it: 的 is part of 的士).
STOP_TOKENS: frozenset[str] = frozenset(
    [
        "的",
        "了",
        "要",
        "办",
        "我",
        "你",
        "他",
        "她",
        "想",
        "在",
        "去",
        "到",
        "和",
        "与",
        "及",
        "或",
        "是",
        "有",
        "把",
        "给",
        "让",
        "被",
        "从",
        "对",
        "就",
        "都",
        "也",
        "还",
        "又",
        "个",
        "一",
        "啊",
        "呢",
        "吗",
        "吧",
        "么",
        "咋",
        "得",
        "该",
    ]
)

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_CJK}]+|[0-9a-z]+", re.IGNORECASE)
_HAS_CJK = re.compile(rf"[{_CJK}]")
_LOCK = threading.Lock()
_ADDED: set[str] = set()


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII), lower case, control characters dropped."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\n\t").lower()


@lru_cache(maxsize=1)
def load_userdict() -> tuple[str, ...]:
    """Teach jieba the government terms in userdict.txt (营业执照, 新农合, 准生证 …); return them."""
    words: list[str] = []
    for line in USERDICT.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.append(line.split()[0])
    add_words(words)
    return tuple(words)


def add_words(words: Iterable[str]) -> None:
    """Keep these words whole when segmenting (content keywords and synonyms are added at index time)."""
    with _LOCK:
        for word in words:
            word = normalize(word).strip()
            if word and word not in _ADDED and _HAS_CJK.search(word) and len(word) <= 12 and " " not in word:
                rjieba.add_word(word, 2000, None)
                _ADDED.add(word)


def strip_fillers(text: str) -> str:
    """Remove question phrasing so "开饭店要办什么证" becomes "开饭店"; never returns less than nothing."""
    out = normalize(text)[:MAX_QUERY_CHARS]
    for phrase in FILLER_PHRASES:
        out = out.replace(phrase, " ")
    return out


def words(text: str) -> Iterator[str]:
    """Runs of CJK characters or of ASCII letters/digits; everything else (punctuation, emoji) separates."""
    for match in _WORD.finditer(normalize(text)):
        yield match.group(0)


def tokens(text: str, *, search_mode: bool = True) -> list[str]:
    """Segment ``text`` into index terms.

    ``search_mode`` also emits the parts of long words (营业执照 → 营业, 执照, 营业执照)
    so a document is found by either; queries are cut without it so that each
    query word stays one term.
    """
    load_userdict()
    out: list[str] = []
    for run in words(text):
        if not _HAS_CJK.search(run):
            out.append(run)
            continue
        pieces = rjieba.cut_for_search(run) if search_mode else rjieba.cut(run)
        out.extend(p for p in pieces if p.strip())
    return out


def query_terms(query: str) -> list[str]:
    """The meaningful words of a citizen's query, filler phrases and one-character stop words removed."""
    terms = [t for t in tokens(strip_fillers(query), search_mode=False) if t not in STOP_TOKENS]
    seen: dict[str, None] = {}
    for term in terms:
        seen.setdefault(term, None)
    return list(seen)


def bigrams(text: str) -> list[str]:
    """Overlapping character pairs of each CJK run: the fallback when segmentation disagrees."""
    out: list[str] = []
    for run in words(text):
        if _HAS_CJK.search(run):
            out.extend(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    return out


def is_latin(term: str) -> bool:
    return bool(term) and term.isascii() and term.isalpha()


def pinyin_forms(text: str) -> list[str]:
    """Pinyin spellings a citizen might type for ``text``: per word, whole, and initials (sfz, jiehun)."""
    load_userdict()
    out: list[str] = []
    for run in words(text):
        if not _HAS_CJK.search(run):
            continue
        syllables = lazy_pinyin(run, errors="ignore")
        initials = lazy_pinyin(run, style=Style.FIRST_LETTER, errors="ignore")
        out.append("".join(syllables))
        out.append("".join(initials))
        for word in rjieba.cut_for_search(run):
            if len(word) > 1:
                out.append("".join(lazy_pinyin(word, errors="ignore")))
                out.append("".join(lazy_pinyin(word, style=Style.FIRST_LETTER, errors="ignore")))
    return [p for p in dict.fromkeys(out) if p]


class Synonyms:
    """synonyms.yaml as groups of interchangeable words (a term and its list are one group)."""

    def __init__(self, table: Mapping[str, Iterable[str]]):
        self.groups: list[tuple[str, ...]] = []
        self._by_word: dict[str, set[int]] = {}
        for term, alternatives in table.items():
            cleaned = (normalize(w).strip() for w in (term, *alternatives) if w and w.strip())
            group = tuple(dict.fromkeys(cleaned))
            if len(group) < 2:
                continue
            for word in group:
                self._by_word.setdefault(word, set()).add(len(self.groups))
            self.groups.append(group)

    def words(self) -> list[str]:
        return [w for group in self.groups for w in group]

    def of(self, word: str) -> list[str]:
        """The other words of every group ``word`` belongs to."""
        word = normalize(word)
        found = [w for g in sorted(self._by_word.get(word, ())) for w in self.groups[g] if w != word]
        return list(dict.fromkeys(found))

    def expand_text(self, text: str) -> list[str]:
        """Words of every group one of whose words occurs in ``text`` (a record is also found by them)."""
        text = normalize(text)
        return list(dict.fromkeys(w for group in self.groups if any(x in text for x in group) for w in group))


#: Cap on the words shipped to the browser for segmentation (the JSON stays a few tens of KB).
MAX_BROWSER_WORDS = 6000


def browser_table(synonyms: Synonyms, vocabulary: Iterable[str] = ()) -> dict[str, object]:
    """What the static search page needs to read a query like the server does (written as JSON).

    ``words`` are the multi-character words segmentation keeps whole: the user
    dictionary, synonym words, then the content's own vocabulary (keywords),
    most frequent first, up to :data:`MAX_BROWSER_WORDS`.
    """
    counts: dict[str, int] = {}
    for word in (*load_userdict(), *synonyms.words()):
        counts[normalize(word)] = 1_000_000
    for word in vocabulary:
        word = normalize(word).strip()
        if _HAS_CJK.search(word) and " " not in word:
            counts[word] = counts.get(word, 0) + 1
    ranked = sorted((w for w in counts if len(w) >= 2), key=lambda w: (-counts[w], w))[:MAX_BROWSER_WORDS]
    return {
        "fillers": list(FILLER_PHRASES),
        "stop": sorted(STOP_TOKENS),
        "maxQuery": MAX_QUERY_CHARS,
        "synonyms": [list(group) for group in synonyms.groups],
        "words": sorted(ranked),
    }
