"""Stage 5 — write: everything beside the HTML pages, and the swap that publishes a build.

:func:`finish` copies the downloadable forms, writes the JSON Schemas, the
sitemap, the Atom feeds of news and of item changes and robots.txt into the staging folder;
:func:`swap_in` then replaces the published folder with it.  The text of the
sitemap, feed and robots file comes from functions that the server's preview
routes (:mod:`sunshine.web.files`) call too.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
import uuid
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from flask import Flask, url_for

from .content import Content
from .content.model import Item
from .markdown import render_markdown
from .web.city import city_pages


def _absolute(base: str | None, path: str) -> str:
    return base.rstrip("/") + path if base else path


def sitemap_xml(app: Flask, content: Content, base: str | None) -> str:
    """sitemaps.org XML of every page of every center; URLs are absolute when the site's address is known."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    with app.test_request_context():
        for ref in city_pages(content.root_center):
            if not ref.listed:
                continue
            loc = escape(_absolute(base, url_for(ref.endpoint, **ref.values)))
            lastmod = f"<lastmod>{ref.lastmod.isoformat()}</lastmod>" if ref.lastmod else ""
            lines.append(f"  <url><loc>{loc}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def _atom_time(day: dt.date) -> str:
    # News carry a date only; the center's local midnight (China has one time zone) is their instant.
    return f"{day.isoformat()}T00:00:00+08:00"


def atom_feed(app: Flask, content: Content, base: str | None) -> str:
    """Atom 1.0 feed of one center's news, newest first, each entry with its full HTML body."""
    site = content.site
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, base or f"sunshine:{site.name}")
    news = content.news_latest()
    dates = [n.date for n in news] or [i.updated for i in content.items.values()] or [dt.date(1970, 1, 1)]
    center = content.center_id
    with app.test_request_context():
        list_url = _absolute(base, url_for("web.news_list", center=center))
        self_url = _absolute(base, f"{content.url_prefix}/news/feed.xml")
        out = [
            '<?xml version="1.0" encoding="utf-8"?>',
            '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
            f"  <title>{escape(site.name)} 新闻动态</title>",
            f"  <id>{escape(list_url if base else namespace.urn)}</id>",
            f"  <updated>{_atom_time(max(dates))}</updated>",
            f"  <author><name>{escape(site.identifiers.sponsor or site.name)}</name></author>",
            f'  <link rel="alternate" type="text/html" href={quoteattr(list_url)}/>',
            f'  <link rel="self" type="application/atom+xml" href={quoteattr(self_url)}/>',
        ]
        for item in news:
            link = _absolute(base, url_for("web.news", news_id=item.id, center=center))
            entry_id = link if base else uuid.uuid5(namespace, item.id).urn
            out += [
                "  <entry>",
                f"    <title>{escape(item.title)}</title>",
                f"    <id>{escape(entry_id)}</id>",
                f'    <link rel="alternate" type="text/html" href={quoteattr(link)}/>',
                f"    <published>{_atom_time(item.date)}</published>",
                f"    <updated>{_atom_time(item.date)}</updated>",
            ]
            if item.author or item.source:
                out.append(f"    <author><name>{escape(item.author or item.source or '')}</name></author>")
            if item.summary:
                out.append(f"    <summary>{escape(item.summary)}</summary>")
            out += [
                f'    <content type="html">{escape(str(render_markdown(item.body)))}</content>',
                "  </entry>",
            ]
        out.append("</feed>")
    return "\n".join(out) + "\n"


#: Item changes the feed announces, as a reader would put them (保留 is no change to announce).
CHANGE_TITLES: dict[str, str] = {
    "新增": "新增事项",
    "调整": "事项调整",
    "取消": "事项取消",
    "下放": "事项下放",
    "合并": "事项合并",
    "承接": "承接事项",
}


def item_changes(content: Content) -> list[tuple[dt.date, str, Item, str]]:
    """Every announced change of an item, newest first: (date, what happened, item, note).

    The change records (新增, 调整, 取消, 下放 …) and, when an item's guide was
    updated after its last change record, the update itself (指南更新).
    """
    out: list[tuple[dt.date, str, Item, str]] = []
    for item in content.items.values():
        last = None
        for change in item.changes:
            last = change.date if last is None else max(last, change.date)
            if change.action in CHANGE_TITLES:
                note = "；".join(x for x in (change.note, change.document) if x)
                out.append((change.date, CHANGE_TITLES[change.action], item, note))
        if last is None or item.updated > last:
            out.append((item.updated, "指南更新", item, "办事指南内容更新"))
    return sorted(out, key=lambda entry: (entry[0], entry[2].id, entry[1]), reverse=True)


def item_feed(app: Flask, content: Content, base: str | None) -> str:
    """Atom 1.0 feed of item changes (added, changed, cancelled, devolved, guide updated), newest first."""
    site = content.site
    feed_key = (base or f"sunshine:{site.name}") + f"#items{content.url_prefix}"
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, feed_key)
    changes = item_changes(content)
    newest = changes[0][0] if changes else dt.date(1970, 1, 1)
    center = content.center_id
    with app.test_request_context():
        list_url = _absolute(base, url_for("web.items", center=center))
        self_url = _absolute(base, f"{content.url_prefix}/items/feed.xml")
        out = [
            '<?xml version="1.0" encoding="utf-8"?>',
            '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
            f"  <title>{escape(site.name)} 事项变更</title>",
            "  <subtitle>新增、调整、取消、下放的事项和更新的办事指南</subtitle>",
            f"  <id>{escape(namespace.urn)}</id>",
            f"  <updated>{_atom_time(newest)}</updated>",
            f"  <author><name>{escape(site.identifiers.sponsor or site.name)}</name></author>",
            f'  <link rel="alternate" type="text/html" href={quoteattr(list_url)}/>',
            f'  <link rel="self" type="application/atom+xml" href={quoteattr(self_url)}/>',
        ]
        for day, what, item, note in changes:
            link = _absolute(base, url_for("web.item", item_id=item.id, center=center))
            entry_id = uuid.uuid5(namespace, f"{item.id}:{day.isoformat()}:{what}").urn
            summary = f"{what}：{item.name}（{item.code}，{item.status}）" + (f"。{note}" if note else "")
            out += [
                "  <entry>",
                f"    <title>{escape(what)}：{escape(item.name)}</title>",
                f"    <id>{escape(entry_id)}</id>",
                f'    <link rel="alternate" type="text/html" href={quoteattr(link)}/>',
                f"    <updated>{_atom_time(day)}</updated>",
                f"    <category term={quoteattr(what)}/>",
                f"    <summary>{escape(summary)}</summary>",
                "  </entry>",
            ]
        out.append("</feed>")
    return "\n".join(out) + "\n"


def robots_txt(base: str | None) -> str:
    """Allow every crawler; point to the sitemap when the site's address is known."""
    text = "User-agent: *\nAllow: /\n"
    if base:
        text += f"Sitemap: {_absolute(base, '/sitemap.xml')}\n"
    return text


def write_schema_files(folder: Path) -> list[Path]:
    """Write the contract's JSON Schemas into ``folder`` (for editors' YAML language servers)."""
    from .content.schema import write_schemas

    folder.mkdir(parents=True, exist_ok=True)
    write_schemas(folder)
    return sorted(p for p in folder.rglob("*") if p.is_file())


def finish(app: Flask, content: Content, dest: Path) -> int:
    """Write forms, schemas, sitemap.xml, the feeds and robots.txt into ``dest``; return files written.

    Each county center's forms and feeds go under its prefix (``luochuan/forms/…``).
    """
    written = 0
    base = content.site.base_url
    texts: dict[str, str] = {}
    for center in content.all_centers():
        folder = center.url_prefix.lstrip("/")
        for rel in center.forms:
            target = dest / folder / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(center.root / rel, target)
            written += 1
        texts[f"{folder}/news/feed.xml".lstrip("/")] = atom_feed(app, center, base)
        texts[f"{folder}/items/feed.xml".lstrip("/")] = item_feed(app, center, base)
    written += len(write_schema_files(dest / "schema"))
    texts["sitemap.xml"] = sitemap_xml(app, content, base)
    texts["robots.txt"] = robots_txt(base)
    for rel, text in texts.items():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written += 1
    return written


def swap_in(staging: Path, out_dir: Path) -> None:
    """Publish ``staging`` as ``out_dir``: the old output is renamed aside, never half-overwritten.

    Both folders are on one file system (staging is created beside out_dir), so
    each step is a rename; if the second rename fails the old output is put back.
    """
    # mkdtemp creates 0700 folders; a web server running as another user must be able to read the site.
    staging.chmod(0o755)
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}-{time.time_ns()}")
    out_dir.rename(old)
    try:
        staging.rename(out_dir)
    except BaseException:
        old.rename(out_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
