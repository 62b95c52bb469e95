"""City-wide trees (CONTENT-SPEC v2, 互联互通): the county centers under ``centers/``.

The root of a tree is the city's own center; ``site.yaml`` there lists the
county centers (``centers``) in the order the portal shows them, and each
``centers/<id>/`` is a complete center of its own, read by the same loader.
This module reads the list and the folders and reports every way they can
disagree — a folder not listed, a listed folder missing, an id that cannot be
a center's (it is also the county's URL prefix) — with the file and line of
the root's ``site.yaml`` where the list is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .load import ID_RE, Loaded, _list_dir, load_center
from .problems import Problem
from .tree import DEFAULT_CENTER_ID

CENTERS_DIR = "centers"

#: Ids a county cannot take: each is the first segment of a URL of the site itself
#: (``/<center>/items/…`` must never be read as one of these pages).
RESERVED_IDS: frozenset[str] = frozenset(
    {
        "admin",
        "api",
        "care",
        "cases",
        "catalog",
        "centers",
        "data",
        "departments",
        "feedback",
        "forms",
        "items",
        "news",
        "pagefind",
        "pages",
        "reform",
        "schema",
        "search",
        "sitemap",
        "static",
        "windows",
        "xxgk",
    }
)


def root_center_id(loaded: Loaded) -> str:
    """The root center's id: site.yaml ``id``, else :data:`DEFAULT_CENTER_ID`."""
    if loaded.site is not None:
        return loaded.site.id or DEFAULT_CENTER_ID
    raw = (loaded.site_raw or {}).get("id")
    return raw.strip() if isinstance(raw, str) and raw.strip() else DEFAULT_CENTER_ID


def _listed(loaded: Loaded) -> list[tuple[int, str]]:
    """(position, id) of every entry of the root's ``centers`` that is text, valid model or not."""
    if loaded.site is not None:
        return list(enumerate(loaded.site.centers))
    raw: Any = (loaded.site_raw or {}).get("centers")
    if not isinstance(raw, list):
        return []
    return [
        (i, str(v).strip()) for i, v in enumerate(raw) if isinstance(v, str | int) and not isinstance(v, bool)
    ]


def load_centers(out: Loaded) -> None:
    """Read every county center the root lists into ``out.centers``; report what does not match."""
    root = out.root
    folder = root / CENTERS_DIR
    site = out.parsed.get("site.yaml")

    def line(*path: str | int) -> int | None:
        return site.line(path) if site is not None else None

    listed = _listed(out)
    if folder.exists() and not folder.is_dir():
        out.problems.append(
            Problem(
                CENTERS_DIR,
                None,
                "",
                "centers 应为目录 (a folder is expected here)",
                "one folder per county center",
            )
        )
    present = _list_dir(folder, root, out) if folder.is_dir() else []
    listed_ids = {cid for _, cid in listed}
    for path in present:
        rel = f"{CENTERS_DIR}/{path.name}"
        if not path.is_dir():
            out.problems.append(
                Problem(
                    rel,
                    None,
                    "",
                    "centers/ 下只能放县级中心的目录 (a folder per county center is expected)",
                    "move the file away",
                )
            )
        elif path.name not in listed_ids:
            out.problems.append(
                Problem(
                    "site.yaml",
                    line("centers"),
                    "centers",
                    f"中心目录 centers/{path.name}/ 未列入 centers (folder not listed)",
                    f"add {path.name} to centers in site.yaml, or remove the folder",
                )
            )

    own_id = root_center_id(out)
    seen: set[str] = set()
    for i, cid in listed:
        problem = _id_problem(cid, seen, own_id, folder)
        seen.add(cid)
        if problem is not None:
            message, hint = problem
            out.problems.append(Problem("site.yaml", line("centers", i), f"centers[{i}]", message, hint))
            continue
        center = load_center(folder / cid, catalog_source=out)
        center.prefix = f"{CENTERS_DIR}/{cid}/"
        center.center_id = cid
        _check_county_site(center, cid)
        out.centers[cid] = center


def _id_problem(cid: str, seen: set[str], own_id: str, folder: Path) -> tuple[str, str] | None:
    """(message, hint) when ``cid`` cannot be a county center of this tree."""
    if not ID_RE.match(cid):
        return (
            f"中心标识“{cid}”只能用小写字母、数字和 - (bad center id; it is the folder name and the URL)",
            "e.g. luochuan",
        )
    if cid in seen:
        return f"中心“{cid}”重复列出 (center listed twice)", "list each center once"
    if cid in RESERVED_IDS:
        return (
            f"中心标识“{cid}”是网站栏目的地址，不能用作中心标识 (reserved: /{cid}/ is a page of the site)",
            "rename the folder, e.g. " + cid + "-xian",
        )
    if cid == own_id:
        return (
            f"中心标识“{cid}”与市中心（内容根目录）的标识相同 (clashes with the root center's id)",
            "rename the county's folder, or give the root another id: in site.yaml",
        )
    if not (folder / cid).is_dir():
        return (
            f"中心目录 centers/{cid}/ 不存在 (listed center has no folder)",
            f"create centers/{cid}/ with its site.yaml, or remove it from centers",
        )
    return None


def _check_county_site(center: Loaded, cid: str) -> None:
    """A county's site.yaml may not list centers of its own, nor name itself other than its folder."""
    parsed = center.parsed.get("site.yaml")
    raw = center.site_raw or {}
    if parsed is None:
        return
    if raw.get("centers"):
        center.problems.append(
            Problem(
                "site.yaml",
                parsed.line(("centers",)),
                "centers",
                "只有内容根目录的 site.yaml 可以列出县级中心 (only the root lists centers)",
                "delete centers here; list the county in the root's site.yaml",
            )
        )
    own = raw.get("id")
    if own is not None and str(own).strip() != cid:
        center.problems.append(
            Problem(
                "site.yaml",
                parsed.line(("id",)),
                "id",
                f"县级中心的标识是它的目录名“{cid}”，不能另设为“{own}” (a county's id is its folder name)",
                "delete id here, or rename the folder",
            )
        )
