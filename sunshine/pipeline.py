"""The build pipeline, in one place: load → validate → render → index → write.

A reader follows a record from YAML to HTML here: each stage is its own
module and this function only runs them in order.  The output is written to a
staging folder beside the destination and swapped in only when every stage
succeeded, so a broken tree or a failed stage never replaces a good site.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .content.load import load_tree
from .content.problems import Problem
from .content.validate import validate


@dataclass
class BuildReport:
    """What a build did: pages and bytes written, warnings, and the time of each stage."""

    out_dir: Path
    pages: int = 0
    files: int = 0
    warnings: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def build_site(content_dir: Path, out_dir: Path, *, feedback_db: str | None = None) -> BuildReport:
    """Build ``content_dir`` into ``out_dir``; raise ContentError before writing anything."""
    from search import indexer

    from . import create_app, links, render, write

    report = BuildReport(out_dir)
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.timings[stage] = now - clock
        clock = now

    loaded = load_tree(content_dir)  # 1. load: files → records (types, keys, enumerations)
    lap("load")
    content = validate(loaded)  # 2. validate: references, codes, limits, forms
    report.warnings = content.warnings
    lap("validate")

    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=out_dir.parent))
    try:
        app = create_app(
            {
                "CONTENT_DIR": str(content_dir),
                "STATIC_BUILD": True,
                "FEEDBACK_DB_URL": feedback_db,
            }
        )
        report.pages = render.freeze(app, content, staging)  # 3. render: every URL → HTML
        report.warnings = sorted([*report.warnings, *links.unproduced_links(app, content)])
        lap("render")
        # 4. index: the Pagefind bundle in the site; the server's Whoosh index beside it (not published).
        indexer.build_indexes(content, staging, indexer.whoosh_dir(out_dir))
        lap("index")
        report.files = write.finish(app, content, staging)  # 5. write: forms, schema, sitemap, feed
        write.swap_in(staging, out_dir)
        lap("write")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report
