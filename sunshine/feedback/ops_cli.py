"""``build.py feedback overdue``: the supervision report for cron, as text or JSON.

It prints the same three lists as /admin/supervision (see :mod:`.supervision`),
so a daily cron job can mail them to the supervisors.  Exit codes: 0 report
printed (whether or not anything is overdue), 2 the database cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from .. import DEMO_CONTENT


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``feedback overdue`` to build.py (creating the ``feedback`` command if no one has yet)."""
    feedback = sub.choices.get("feedback") or sub.add_parser("feedback", help="feedback server reports")
    group = next((a for a in feedback._actions if isinstance(a, argparse._SubParsersAction)), None)
    if group is None:
        group = feedback.add_subparsers(dest="feedback_command", required=True)
    p = group.add_parser(
        "overdue", help="list messages about to fall due, overdue, or unanswered for over three months"
    )
    p.add_argument(
        "--db", "--database", dest="db", metavar="URL", help="database URL (default: DATABASE_URL, instance)"
    )
    p.add_argument("--instance", metavar="DIR", help="instance folder (default: Flask's)")
    p.add_argument("--content", type=Path, default=DEMO_CONTENT, help="content (deadlines, names)")
    p.add_argument("--department", metavar="ID", help="only this department's messages")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_overdue)


def cmd_overdue(args: argparse.Namespace) -> int:
    from .. import create_app
    from ..store import get_content
    from . import db
    from .models import TIMEZONE, utcnow
    from .publish import database_problem, department_name
    from .supervision import report

    config: dict[str, object] = {"CONTENT_DIR": str(args.content)}
    if args.instance:
        config["INSTANCE_PATH"] = args.instance
    app = create_app(config)
    with app.app_context():
        content = get_content()
    url = args.db or db.database_url(app)
    problem = database_problem(url)
    if problem is not None:
        print(f"{make_url(url).render_as_string(hide_password=True)}: {problem}", file=sys.stderr)
        return 2
    engine = db.make_engine(url)
    try:
        with Session(engine) as session:
            result = report(session, content.site.feedback, utcnow(), args.department)
            if args.format == "json":
                print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
                return 0
            scope = f"（{department_name(content, args.department)}）" if args.department else ""
            print(f"督办报告 {result.now.astimezone(TIMEZONE):%Y-%m-%d %H:%M}{scope}")
            for _key, label, rows in result.buckets():
                print(f"\n{label}：{len(rows)} 条")
                for row in rows:
                    message = row.message
                    if row.left < 0:
                        state = f"超期 {row.overdue_workdays} 个工作日"
                    else:
                        state = f"剩余 {row.left} 个工作日"
                    urged = f"，已催办 {row.urges} 次" if row.urges else ""
                    print(
                        f"  {message.number}  {message.kind}  {message.status}  "
                        f"{department_name(content, message.department_id)}  "
                        f"答复期限 {row.due_on.isoformat()}（{state}{urged}）  {message.title}"
                    )
        return 0
    finally:
        engine.dispose()
