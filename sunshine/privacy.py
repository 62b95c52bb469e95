"""Personal data kept out of everything published: :func:`scrub` and :func:`mask_name`.

Whatever a citizen typed into a form may come back in the text of what is
published — their own message, a staff member's reply quoting it — written
differently each time: ``8821 5678``, ``8821-5678``, ``８８２１５６７８``,
``八八二一五六七八``.  So :func:`scrub` works in two ways at once:

1. **Known data.**  It is given every personal datum of the record
   (:class:`PersonalData`: names, phones, e-mail addresses, ID numbers,
   addresses, other identifiers such as a staff badge number) and removes
   each wherever it appears: with any spaces, dashes, dots or brackets
   between its characters, in full-width or other Unicode digits and
   letters, in Chinese numerals (一二三 … 〇/零, 幺), in any letter case, a
   phone with or without its ``+86`` or its area code.  A name becomes its
   surname and ``**`` (王小明 → 王**); everything else becomes ``***``.
2. **Shapes.**  Anything shaped like personal data is removed too, whoever's
   it is: mobile numbers (``138 1234 5678``, ``+86-138-1234-5678``), landlines
   with an area code (``0911-8821 5678``, ``(0911)88215678``, extensions) and
   without one (seven or eight digits, ``8821 5678``, ``882-1567``), 18- and
   15-digit ID card numbers (also in groups), bank card numbers, e-mail
   addresses, QQ and WeChat ids and staff badge numbers.

Matching runs on a folded copy of the text with one character for each
original character (:func:`fold`), so every span found is cut from the text
as it was written.  Message numbers (``TS-20250303-0001``), dates written
with separators (``2025-03-05``) and short numbers (amounts, window numbers,
counts) are left alone; an eight-digit run such as ``20250305`` is removed,
since it cannot be told from a local phone number.

Used by every page that publishes what citizens sent, on the server and in
the static build alike.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

#: What every scrubbed span (other than a name) becomes.
REDACTED = "***"

#: Two-character surnames (复姓): the mask keeps both characters.
_COMPOUND_SURNAMES = frozenset(
    {
        *("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒"),
        *("令狐", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "百里", "呼延", "万俟", "闻人", "澹台"),
    }
)


def mask_name(name: str | None) -> str:
    """The surname followed by ``**`` (张三 → 张**, 欧阳娜娜 → 欧阳**); no name → 匿名."""
    name = (name or "").strip()
    if not name:
        return "匿名"
    surname = name[:2] if name[:2] in _COMPOUND_SURNAMES else name[:1]
    return f"{surname}**"


@dataclass(frozen=True)
class PersonalData:
    """Every personal datum of one record, as typed in the form; blanks are ignored."""

    names: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    id_numbers: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    #: Anything else that points at a person: a staff badge number, a licence plate, a QQ id …
    identifiers: tuple[str, ...] = ()

    @classmethod
    def of(cls, **fields: Iterable[str | None]) -> PersonalData:
        """From the record's fields, each an iterable of values that may be None or blank."""
        return cls(**{key: tuple(v.strip() for v in vs if v and v.strip()) for key, vs in fields.items()})


# -- folding: one character for one character ------------------------------------------------------

_CHINESE_DIGITS = {
    "〇": "0", "零": "0", "○": "0", "一": "1", "壹": "1", "幺": "1", "二": "2", "贰": "2",
    "三": "3", "叁": "3", "四": "4", "肆": "4", "五": "5", "伍": "5", "六": "6", "陆": "6",
    "七": "7", "柒": "7", "八": "8", "捌": "8", "九": "9", "玖": "9",
}  # fmt: skip
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u30fc"


@functools.cache
def _fold_table() -> dict[int, str]:
    """Full-width and other Unicode digits, letters, spaces and dashes → ASCII; Chinese numerals → digits."""
    table: dict[int, str] = {}
    for code in (*range(0x80, 0x3000), *range(0xFF00, 0xFFF0), *range(0x1D400, 0x1D800)):
        char = chr(code)
        decimal = unicodedata.decimal(char, None)
        if decimal is not None:
            table[code] = str(decimal)
            continue
        folded = unicodedata.normalize("NFKC", char)
        if len(folded) == 1 and folded.isascii() and (folded.isalnum() or folded in "@.+()-_/:"):
            table[code] = folded
        elif char.isspace():
            table[code] = " "
    for code in range(0x3000, 0x3100):
        if chr(code).isspace():
            table[code] = " "
    table.update({ord(c): "-" for c in _DASHES})
    table.update({ord(c): d for c, d in _CHINESE_DIGITS.items()})
    table.update({ord("＠"): "@", ord("（"): "(", ord("）"): ")", ord("．"): ".", ord("·"): "."})
    return table


def fold(text: str) -> str:
    """``text`` with each character replaced by its plain ASCII look-alike, keeping every position."""
    return text.translate(_fold_table())


# -- what to look for -----------------------------------------------------------------------------

#: Characters people put between the digits or letters of a number: spaces, dashes, dots, brackets, slashes.
_SEP = r"[\s\-.()/_]{0,3}"
#: Shortest known datum matched: shorter digit strings (a "phone" of four digits) are not identifying.
_MIN_DIGITS = 5
_MIN_TEXT = 2

_SHAPES: tuple[re.Pattern[str], ...] = (
    # e-mail, spaces allowed around @ and dots
    re.compile(r"[A-Za-z0-9._%+\-]+\s*@\s*[A-Za-z0-9\-]+(?:\s*\.\s*[A-Za-z0-9\-]+)*\s*\.\s*[A-Za-z]{2,}"),
    # 居民身份证号: 18 characters (6-8-4 or 6-4-4-4 groups), or the old 15 digits
    re.compile(r"(?<![0-9A-Za-z])\d{6}[ \-]?\d{4}[ \-]?\d{4}[ \-]?\d{3}[\dXx](?![0-9A-Za-z])"),
    re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])"),
    # bank cards: 16 to 19 digits, in groups of four or not
    re.compile(r"(?<!\d)\d{4}(?:[ \-]?\d{4}){3}(?:[ \-]?\d{1,3})?(?!\d)"),
    # 手机: 1[3-9] and nine more digits, any single separator between them, with or without +86
    re.compile(r"(?<![0-9A-Za-z])(?:\+?\s?86[ \-]?)?1[3-9](?:[ \-.]?\d){9}(?!\d)"),
    # 固定电话 with its area code: 0911-8821 5678, (0911)88215678, 010 8765 4321 转 123
    re.compile(
        r"(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3})[ \-]?[2-9]\d{2,3}[ \-]?\d{4}"
        r"(?:\s*(?:转|分机|ext\.?|x)\s*\d{1,6})?(?!\d)"
    ),
    # 固定电话 without an area code: seven or eight digits, 8821 5678, 882-1567.  Not a part of a
    # message number (TS-20250303-0001) nor of a longer number.
    re.compile(r"(?<![0-9A-Za-z])(?<![0-9A-Za-z]-)[2-9]\d{2,3}[ \-]?\d{4}(?![0-9])"),
    # QQ, WeChat and staff numbers after their label: the label stays, the value goes
    re.compile(
        r"(?:QQ|qq|Qq|微信号?|WeChat|wechat|weixin|VX|vx|wx)\s*号?码?\s*[:：]?\s*(?P<v>[A-Za-z0-9_\-]{5,20})"
    ),
    re.compile(r"(?:工号|警号|胸牌号?|工牌号?)\s*[:：]?\s*(?P<v>[A-Za-z0-9\-]{2,16})"),
    # badge-shaped: YA-2011, A0123
    re.compile(r"(?<![0-9A-Za-z\-])[A-Za-z]{1,3}-?\d{3,6}(?![0-9\-])"),
)


def _spaced(chars: Iterable[str], between: str) -> str:
    return between.join(re.escape(c) for c in chars)


def _alnum(value: str) -> str:
    return "".join(c for c in fold(value) if c.isascii() and c.isalnum())


def _phone_patterns(phone: str) -> list[str]:
    """The phone's digits with any separators between them; also without +86, and without the area code."""
    digits = "".join(c for c in fold(phone) if c.isdigit())
    forms = {digits}
    if digits.startswith("86") and len(digits) == 13:
        forms.add(digits[2:])
    for form in list(forms):
        if form.startswith("0"):
            # Area codes have three or four digits (010, 0911); the local number then has seven or eight.
            forms.update(form[n:] for n in (3, 4) if 7 <= len(form) - n <= 8 and form[n] in "23456789")
    # Written with its country code or not, whichever way it was typed in the form.
    country = r"(?:\+?\s*86[\s\-.()]{0,3})?"
    return [country + _spaced(form, _SEP) for form in forms if len(form) >= _MIN_DIGITS]


def _text_pattern(value: str) -> str | None:
    """Free text (a name, an address): its characters in order with any spacing between them."""
    chars = [c for c in fold(value) if not c.isspace()]
    return _spaced(chars, r"[\s.]{0,2}") if len(chars) >= _MIN_TEXT else None


def _code_pattern(value: str) -> str | None:
    """An id (ID number, badge, plate …): its letters and digits with any separators, any case."""
    chars = _alnum(value)
    return _spaced(chars, _SEP) if len(chars) >= _MIN_TEXT else None


def _email_pattern(value: str) -> str | None:
    local, at, domain = fold(value).strip().partition("@")
    if not at or not local or not domain:
        return _code_pattern(value)
    parts = [re.escape(p) for p in domain.split(".")]
    return re.escape(local) + r"\s*@\s*" + r"\s*\.\s*".join(parts)


@functools.lru_cache(maxsize=256)
def _known(private: PersonalData) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """(names, everything else) of one record as two compiled patterns; None when there is nothing."""
    names = [p for name in private.names if (p := _text_pattern(name))]
    others: list[str] = []
    for phone in private.phones:
        others += _phone_patterns(phone)
    others += [p for email in private.emails if (p := _email_pattern(email))]
    others += [p for code in (*private.id_numbers, *private.identifiers) if (p := _code_pattern(code))]
    others += [p for address in private.addresses if (p := _text_pattern(address))]

    def compile_(patterns: list[str]) -> re.Pattern[str] | None:
        # Longest first, so that a longer form of a datum is taken whole rather than in part.
        ordered = sorted(set(patterns), key=len, reverse=True)
        return re.compile("|".join(f"(?:{p})" for p in ordered), re.IGNORECASE) if ordered else None

    return compile_(names), compile_(others)


def scrub(text: str | None, private: PersonalData | None = None) -> str:
    """``text`` with the record's own personal data and anything shaped like personal data removed."""
    text = text or ""
    if not text:
        return ""
    folded = fold(text)
    names, others = _known(private or PersonalData())
    # (start, end, is a name)
    spans: list[tuple[int, int, bool]] = []
    if names is not None:
        spans += [(m.start(), m.end(), True) for m in names.finditer(folded)]
    if others is not None:
        spans += [(m.start(), m.end(), False) for m in others.finditer(folded)]
    for pattern in _SHAPES:
        for m in pattern.finditer(folded):
            start, end = m.span("v") if "v" in pattern.groupindex else m.span()
            spans.append((start, end, False))
    if not spans:
        return text
    out: list[str] = []
    position = 0
    for start, end, is_name in _merge(spans):
        out.append(text[position:start])
        out.append(mask_name(re.sub(r"[\s.·]", "", text[start:end])) if is_name else REDACTED)
        position = end
    out.append(text[position:])
    return "".join(out)


def _merge(spans: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """Overlapping spans as one; a merged span is a name only if all its parts were."""
    merged: list[tuple[int, int, bool]] = []
    for start, end, is_name in sorted(spans):
        if merged and start < merged[-1][1]:
            last_start, last_end, last_name = merged[-1]
            merged[-1] = (last_start, max(end, last_end), last_name and is_name)
        else:
            merged.append((start, end, is_name))
    return merged
