"""The one search-document model: what each engine indexes about a record, and how much it counts.

Both engines are fed from :func:`build_documents`, so a record is found by the
same words, filtered by the same facets and ranked by the same boosts in the
browser (Pagefind) and on the server (Whoosh).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace

import markdown
from pypinyin import lazy_pinyin

from sunshine.content import Content
from sunshine.content.model import ONLINE_DEPTHS, Item

from .text import Synonyms, pinyin_forms

KIND_LABELS: dict[str, str] = {
    "item": "办事指南",
    "window": "窗口",
    "department": "部门",
    "news": "新闻",
    "page": "页面",
}

#: Facet keys and their labels on the search page (the order is the order of the filters).
FACET_LABELS: dict[str, str] = {
    "kind": "类别",
    "type": "事项类型",
    "department": "实施部门",
    "audience": "服务对象",
    "online": "网上办理",
    "status": "事项状态",
    "center": "政务服务中心",
}

#: Field weights, shared by both engines: name ≫ keywords > materials/basis > body.
WEIGHTS: dict[str, float] = {
    "title": 10.0,
    "keywords": 6.0,
    "synonyms": 5.0,
    "pinyin": 3.0,
    "materials": 2.0,
    "basis": 1.5,
    "body": 1.0,
}
#: Multiplier of a record that is no longer offered (已取消, 已下放): still findable, ranked lower.
WITHDRAWN_BOOST = 0.4
#: Items are what citizens look for; other records rank a little lower on equal words.
KIND_BOOST: dict[str, float] = {"item": 1.0, "window": 0.7, "department": 0.7, "news": 0.5, "page": 0.6}


@dataclass(frozen=True)
class SearchDocument:
    """One searchable record.  ``key`` (kind:id) is unique across kinds."""

    id: str
    kind: str
    title: str
    url: str
    body: str
    keywords: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    pinyin: tuple[str, ...] = ()
    materials: tuple[str, ...] = ()
    basis: tuple[str, ...] = ()
    facets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    boost: float = 1.0
    summary: str = ""
    #: The center the record belongs to, in a city-wide tree ("" in a single-center tree).
    center: str = ""

    @property
    def key(self) -> str:
        return f"{self.center}/{self.kind}:{self.id}" if self.center else f"{self.kind}:{self.id}"

    @property
    def own_text(self) -> str:
        """The record's own words, where excerpts come from: never its keywords, synonyms or pinyin."""
        return _join(self.body, "；".join(self.materials), "；".join(self.basis))


_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


def plain(markdown_text: str | None) -> str:
    """Markdown → plain text (raw HTML in the source is text, as on the page)."""
    if not markdown_text:
        return ""
    rendered = markdown.markdown(html.escape(markdown_text, quote=False))
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", rendered))).strip()


def _join(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


def _audiences(value: str | None) -> tuple[str, ...]:
    if value == "自然人和法人":
        return ("自然人", "法人")
    return (value,) if value else ()


def item_facets(content: Content, item: Item) -> dict[str, tuple[str, ...]]:
    """The filter values of an item (both engines filter on them; the static page lists them)."""
    return {
        "kind": ("item",),
        "type": (item.type,),
        "department": (content.department_of(item).name,),
        "audience": _audiences(item.audience),
        "online": (ONLINE_DEPTHS[item.online.depth],),
        "status": (item.status,),
    }


def facet_values(content: Content) -> dict[str, list[str]]:
    """Every value each item filter takes in ``content``, in pinyin order.

    The static search page writes them into its filter menus, so the browser
    never downloads Pagefind's filter lists just to show the choices (it loads
    a filter's list only when the citizen applies it).
    """
    values: dict[str, set[str]] = {}
    for item in content.items.values():
        for name, found in item_facets(content, item).items():
            values.setdefault(name, set()).update(found)
    return {name: sorted(found, key=lambda v: (lazy_pinyin(v), v)) for name, found in values.items()}


def item_document(content: Content, item: Item, synonyms: Synonyms) -> SearchDocument:
    department = content.department_of(item)
    body = _join(
        plain(item.conditions),
        " ".join(_join(s.step, s.actor, s.description) for s in item.process),
        item.result.name if item.result else None,
        " ".join(_join(plain(f.q), plain(f.a)) for f in item.faq),
        " ".join(_join(f.name, f.standard) for f in item.fees),
        content.item_location(item),
    )
    named = _join(item.name, *item.keywords)
    notes = {"已取消": "（已取消）", "已下放": "（已下放）", "暂停": "（暂停办理）"}
    status_note = notes.get(item.status, "")
    summary = f"{item.type} · {department.name} · {ONLINE_DEPTHS[item.online.depth]}{status_note}"
    return SearchDocument(
        id=item.id,
        kind="item",
        title=item.name,
        url=f"/items/{item.id}/",
        body=body,
        keywords=tuple(item.keywords),
        synonyms=tuple(w for w in synonyms.expand_text(named) if w not in named),
        pinyin=tuple(pinyin_forms(named)),
        materials=tuple(_join(m.name, m.note) for m in item.materials),
        basis=tuple(_join(b.law, b.article) for b in item.basis),
        facets=item_facets(content, item),
        boost=WITHDRAWN_BOOST if item.withdrawn else KIND_BOOST["item"],
        summary=summary,
    )


def build_documents(content: Content) -> list[SearchDocument]:
    """Every item, window, department, news item and page of ``content`` as a search document."""
    synonyms = Synonyms(content.synonyms)
    docs = [item_document(content, item, synonyms) for item in content.items.values()]
    for window in content.windows.values():
        departments = content.departments_at(window)
        names = _join(window.name, f"{window.number}号窗口")
        docs.append(
            SearchDocument(
                id=window.id,
                kind="window",
                title=f"{window.number}号窗口 {window.name}",
                url=f"/windows/{window.id}/",
                body=_join(
                    window.area,
                    " ".join(d.name for d in departments),
                    " ".join(i.name for i in content.items_at_window(window)),
                ),
                synonyms=tuple(w for w in synonyms.expand_text(names) if w not in names),
                pinyin=tuple(pinyin_forms(window.name)),
                facets={"kind": ("window",)},
                boost=KIND_BOOST["window"],
                summary=_join(window.area, "、".join(d.name for d in departments)),
            )
        )
    for department in content.departments.values():
        names = _join(department.name, department.short_name)
        docs.append(
            SearchDocument(
                id=department.id,
                kind="department",
                title=department.name,
                url=f"/departments/{department.id}/",
                body=_join(
                    department.address,
                    " ".join(i.name for i in content.items_of_department(department)),
                ),
                keywords=(department.short_name,) if department.short_name else (),
                synonyms=tuple(w for w in synonyms.expand_text(names) if w not in names),
                pinyin=tuple(pinyin_forms(names)),
                facets={"kind": ("department",)},
                boost=KIND_BOOST["department"],
                summary=_join(department.kind, department.phone),
            )
        )
    for news in content.news.values():
        docs.append(
            SearchDocument(
                id=news.id,
                kind="news",
                title=news.title,
                url=f"/news/{news.id}/",
                body=_join(news.summary, plain(news.body)),
                keywords=tuple(news.tags),
                facets={"kind": ("news",)},
                boost=KIND_BOOST["news"],
                summary=_join(news.date.isoformat(), news.source),
            )
        )
    for page in content.pages.values():
        docs.append(
            SearchDocument(
                id=page.id,
                kind="page",
                title=page.title,
                url=f"/pages/{page.id}/",
                body=plain(page.body),
                facets={"kind": ("page",)},
                boost=KIND_BOOST["page"],
            )
        )
    return docs


def vocabulary(content: Content) -> list[str]:
    """Words of this tree segmentation must keep whole: item keywords and synonyms.yaml words."""
    words = [w for item in content.items.values() for w in item.keywords]
    words.extend(Synonyms(content.synonyms).words())
    return words


def _initial(term: str) -> str:
    """The index letter of a term: the first letter of its pinyin (A–Z), or # for anything else."""
    first = lazy_pinyin(term[:1], errors="ignore")
    letter = (first[0][:1] if first and first[0] else term[:1]).upper()
    return letter if "A" <= letter <= "Z" else "#"


def term_index(content: Content) -> dict[str, list[tuple[str, list[Item]]]]:
    """Every name and colloquial name of the items, by pinyin initial: the script-free way to search.

    A term is an item's name, one of its keywords, or a synonyms.yaml word of
    a group its name or keywords touch; each term lists the items it names,
    items in service first.  Letters in A–Z order, terms in pinyin order.
    """
    synonyms = Synonyms(content.synonyms)
    found: dict[str, dict[str, Item]] = {}
    ordered = content.active_items() + content.withdrawn_items()
    for item in ordered:
        named = [item.name, *item.keywords]
        extra = [w for w in synonyms.expand_text(_join(*named)) if w not in named]
        for term in (*named, *extra):
            term = term.strip()
            if term and not term.isascii():
                found.setdefault(term, {}).setdefault(item.id, item)
    letters: dict[str, list[tuple[str, list[Item]]]] = {}
    for term in sorted(found, key=lambda t: (lazy_pinyin(t), t)):
        letters.setdefault(_initial(term), []).append((term, list(found[term].values())))
    return dict(sorted(letters.items(), key=lambda kv: (kv[0] == "#", kv[0])))


def city_documents(city: Content) -> dict[str, list[SearchDocument]]:
    """Every center's documents by center id, the root's first.

    In a city-wide tree each record's URL is under its center's prefix, its
    summary names the center and ``center`` is one more facet, so the
    city-wide search narrows to a center and shows where each result is handled.
    A single-center tree's documents are those of :func:`build_documents`.
    """
    if not city.is_city:
        return {city.center_id: build_documents(city)}
    out: dict[str, list[SearchDocument]] = {}
    for center in city.all_centers():
        out[center.center_id] = [
            replace(
                doc,
                url=center.url_prefix + doc.url,
                summary=f"{center.label} · {doc.summary}" if doc.summary else center.label,
                facets={**doc.facets, "center": (center.center_id,)},
                center=center.center_id,
            )
            for doc in build_documents(center)
        ]
    return out


def city_vocabulary(city: Content) -> list[str]:
    """:func:`vocabulary` of every center of the tree."""
    return [w for center in city.all_centers() for w in vocabulary(center)]
