"""``build.py cases …``: import events, list signals, manage API tokens, write the demo's cases.

    build.py cases import FILE [--content DIR]      FILE "-" reads standard input
    build.py cases signals [--at DATETIME] [--json] [--center ID] [--department ID] [--window ID]
                           [--item ID] [--level 红牌|黄牌|预警] [--rule NAME]
    build.py cases token add NAME [--department ID [--center ID]] | list | revoke NAME
    build.py cases demo [--until DATE] [--seed N] [--out FILE | --import]   (default: up to yesterday)
    build.py cases rebuild                           derive every case again from its events

The database is the feedback server's (``--database URL``, else
``DATABASE_URL``, else SQLite in the instance folder).  Exit codes: 0 done,
1 lines were refused (import) or content errors, 2 usage or database errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from sunshine import DEMO_CONTENT

from .models import LEVELS, RULES


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``cases`` and its subcommands to build.py."""
    p_cases = sub.add_parser("cases", help="the case ledger (办件): import events, signals, tokens")
    cases = p_cases.add_subparsers(dest="cases_command", required=True)

    p_import = cases.add_parser("import", help="import a JSON Lines file of events (CASE-EXCHANGE.md)")
    p_import.add_argument("file", help='the file, or "-" for standard input')
    p_import.add_argument(
        "--batch", type=int, default=None, metavar="N", help="lines per transaction (default 20000)"
    )
    p_import.set_defaults(func=_cmd_import)

    p_signals = cases.add_parser("signals", help="电子监察: 预警, 黄牌 and 红牌 at a moment")
    p_signals.add_argument(
        "--at", metavar="DATETIME", help="RFC 3339 moment (a date alone: the end of that day); default now"
    )
    p_signals.add_argument(
        "--json", action="store_true", help='print a JSON list of {"case","rule","level",…}'
    )
    p_signals.add_argument("--center", metavar="ID", help="one center of a city-wide tree")
    p_signals.add_argument("--department", metavar="ID", help="one department's cases")
    p_signals.add_argument("--window", metavar="ID", help="the cases of the items handled at one window")
    p_signals.add_argument("--item", metavar="ID", help="one item's cases")
    p_signals.add_argument("--level", choices=LEVELS)
    p_signals.add_argument("--rule", choices=list(RULES))
    p_signals.set_defaults(func=_cmd_signals)

    p_token = cases.add_parser("token", help="API tokens of the systems that send events")
    tokens = p_token.add_subparsers(dest="token_command", required=True)
    p_add = tokens.add_parser("add", help="create a token (shown once)")
    p_add.add_argument("name")
    p_add.add_argument("--department", metavar="ID", help="only cases of this department's items")
    p_add.add_argument(
        "--center", metavar="ID", help="the department's center (city-wide trees; default the root)"
    )
    p_add.set_defaults(func=_cmd_token_add)
    p_list = tokens.add_parser("list", help="list tokens (never the tokens themselves)")
    p_list.set_defaults(func=_cmd_token_list)
    p_revoke = tokens.add_parser("revoke", help="revoke a token (it is refused from then on)")
    p_revoke.add_argument("name")
    p_revoke.set_defaults(func=_cmd_token_revoke)

    p_demo = cases.add_parser("demo", help="write (or import) a year of realistic cases for the demo content")
    p_demo.add_argument("--until", metavar="DATE", help="the last day of cases (default yesterday)")
    p_demo.add_argument("--seed", type=int, default=2010)
    target = p_demo.add_mutually_exclusive_group()
    target.add_argument("--out", type=Path, help="write the events to this file (default standard output)")
    target.add_argument(
        "--import", dest="do_import", action="store_true", help="import them into the database"
    )
    p_demo.set_defaults(func=_cmd_demo)

    p_rebuild = cases.add_parser("rebuild", help="derive every case again from its stored events")
    p_rebuild.set_defaults(func=_cmd_rebuild)

    for parser in (p_import, p_signals, p_add, p_list, p_revoke, p_demo, p_rebuild):
        parser.add_argument(
            "--content", type=Path, default=DEMO_CONTENT, help="content folder (default: the demo)"
        )
        parser.add_argument(
            "--database", metavar="URL", help="database URL (default: DATABASE_URL or instance/)"
        )
        parser.add_argument("--instance", metavar="DIR", help="instance folder (default: Flask's)")


# -- opening things --------------------------------------------------------------------------------


def _content(args: argparse.Namespace) -> Any:
    from sunshine.content import read_content

    return read_content(args.content)


def _engine(args: argparse.Namespace) -> Engine:
    """The feedback server's database, migrated to the latest schema."""
    from sunshine import create_app
    from sunshine.feedback import db

    url = args.database
    if not url:
        config: dict[str, Any] = {"CONTENT_DIR": str(args.content), "CONTENT_RELOAD": True}
        if args.instance:
            config["INSTANCE_PATH"] = args.instance
        url = db.database_url(create_app(config))
    engine = db.make_engine(url)
    db.upgrade(engine)
    return engine


def _where(engine: Engine) -> str:
    return make_url(str(engine.url)).render_as_string(hide_password=True)


def _read_chunks(stream: IO[bytes]) -> Iterator[bytes]:
    while chunk := stream.read(1 << 20):
        yield chunk


# -- commands --------------------------------------------------------------------------------------


def _cmd_import(args: argparse.Namespace) -> int:
    from .items import ledger_index
    from .store import FILE_BATCH, Importer, split_lines

    index = ledger_index(_content(args))
    if args.batch is not None and args.batch < 1:
        print("错误：--batch 应为正整数 (--batch must be positive)", file=sys.stderr)
        return 2
    if args.file == "-":
        stream: IO[bytes] = sys.stdin.buffer
    else:
        try:
            stream = Path(args.file).open("rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            print(f"错误：无法读取 {args.file}：{exc.strerror} (cannot read the file)", file=sys.stderr)
            return 2
    engine = _engine(args)
    first = 1

    def progress(result: Any) -> None:
        nonlocal first
        print(
            f"已提交第 {first}–{result.lines} 行 (committed through line {result.lines})："
            f"接收 {result.accepted}，重复 {result.duplicates}，拒绝 {len(result.rejected)}",
            file=sys.stderr,
            flush=True,
        )
        first = result.lines + 1

    try:
        importer = Importer(engine, index, batch_size=args.batch or FILE_BATCH)
        result = importer.run(split_lines(_read_chunks(stream)), on_commit=progress)
    finally:
        stream.close()
        engine.dispose()
    print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    return 1 if result.rejected else 0


def parse_moment(text: str) -> dt.datetime:
    """``--at``: an RFC 3339 moment; a naive time is local; a date alone is the last moment of that day."""
    from sunshine.feedback.models import TIMEZONE

    text = text.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return dt.datetime.combine(day, dt.time.max, tzinfo=TIMEZONE)
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"--at {text}: not a date-time (write 2026-11-02T09:15:00+08:00 or 2026-11-02)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=TIMEZONE)


def _cmd_signals(args: argparse.Namespace) -> int:
    from sunshine.feedback.models import TIMEZONE, utcnow

    from .items import ledger_index
    from .signals import signals

    try:
        at = parse_moment(args.at) if args.at else utcnow()
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    index = ledger_index(_content(args))
    if args.center and args.center not in index.centers:
        print(f"错误：没有 id 为 {args.center} 的中心 (unknown center)", file=sys.stderr)
        return 2
    engine = _engine(args)
    try:
        with engine.connect() as conn:
            found = signals(
                conn,
                index,
                at,
                center=args.center,
                department=args.department,
                window=args.window,
                item=args.item,
                level=args.level,
                rule=args.rule,
            )
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps([s.to_json() for s in found], ensure_ascii=False, indent=2))
        return 0
    print(f"电子监察 {at.astimezone(TIMEZONE):%Y-%m-%d %H:%M}：{len(found)} 条")
    for level in LEVELS:
        rows = [s for s in found if s.level == level]
        if rows:
            print(f"\n{level}：{len(rows)} 条")
        for s in rows:
            where = f"{s.center}/" if index.is_city else ""
            print(f"  {s.rule}  {where}{s.case}  {s.item or ''}  {s.evidence}")
    return 0


def _token_session(args: argparse.Namespace, change: Any) -> int:
    from .tokens import TokenError

    engine = _engine(args)
    try:
        with Session(engine) as session, session.begin():
            return int(change(session))
    except TokenError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()


def _cmd_token_add(args: argparse.Namespace) -> int:
    from .items import ledger_index
    from .tokens import add_token

    center = None
    if args.department:
        index = ledger_index(_content(args))
        center = args.center or index.root_id
        target = index.centers.get(center)
        if target is None:
            print(f"错误：没有 id 为 {center} 的中心 (unknown center)", file=sys.stderr)
            return 2
        if args.department not in target.departments:
            print(
                f"错误：中心 {center} 没有 id 为 {args.department} 的部门 (unknown department)",
                file=sys.stderr,
            )
            return 2
    elif args.center:
        print("错误：--center 只与 --department 一起使用 (--center needs --department)", file=sys.stderr)
        return 2

    def add(session: Session) -> int:
        token = add_token(session, args.name, center, args.department)
        scope = f"，只能发送部门 {args.department} 的办件" if args.department else "，可发送所有部门的办件"
        print(f"令牌 {args.name}{scope}。请立即保存，它不会再次显示：", file=sys.stderr)
        print(token)
        return 0

    return _token_session(args, add)


def _cmd_token_list(args: argparse.Namespace) -> int:
    from sunshine.feedback.models import TIMEZONE

    from .tokens import list_tokens

    def show(session: Session) -> int:
        for token in list_tokens(session):
            bound = f"{token.center}/{token.department_id}" if token.department_id else "所有部门"
            state = (
                f"已吊销 {token.revoked_at.astimezone(TIMEZONE):%Y-%m-%d %H:%M}"
                if token.revoked_at
                else "有效"
            )
            created = token.created_at.astimezone(TIMEZONE)
            print(f"{token.name}\t{bound}\t{state}\t创建于 {created:%Y-%m-%d %H:%M}")
        return 0

    return _token_session(args, show)


def _cmd_token_revoke(args: argparse.Namespace) -> int:
    from .tokens import revoke_token

    def revoke(session: Session) -> int:
        revoke_token(session, args.name)
        print(f"令牌 {args.name} 已吊销")
        return 0

    return _token_session(args, revoke)


def _cmd_demo(args: argparse.Namespace) -> int:
    from sunshine.feedback.models import TIMEZONE

    from .demo import demo_lines
    from .items import ledger_index
    from .store import Importer

    # Yesterday by default: today's cases would have events still ahead of the clock.
    yesterday = dt.datetime.now(TIMEZONE).date() - dt.timedelta(days=1)
    try:
        until = dt.date.fromisoformat(args.until) if args.until else yesterday
    except ValueError:
        print(f"错误：--until {args.until} 不是日期 (write 2026-11-30)", file=sys.stderr)
        return 2
    content = _content(args)
    lines = demo_lines(content, until=until, seed=args.seed)
    if args.do_import:
        engine = _engine(args)
        try:
            result = Importer(engine, ledger_index(content)).run(line.encode() for line in lines)
        finally:
            engine.dispose()
        answer = result.to_json()
        print(
            f"{_where(engine)}：接收 {answer['accepted']}，重复 {answer['duplicates']}，"
            f"拒绝 {len(answer['rejected'])}",
            file=sys.stderr,
        )
        if result.rejected:
            print(json.dumps(answer, ensure_ascii=False, indent=2))
            return 1
        return 0
    out: IO[str] = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    try:
        for line in lines:
            out.write(line + "\n")
    finally:
        if args.out:
            out.close()
    return 0


def _cmd_rebuild(args: argparse.Namespace) -> int:
    from .items import ledger_index
    from .store import rederive

    index = ledger_index(_content(args))
    engine = _engine(args)
    try:
        count = rederive(engine, index)
    finally:
        engine.dispose()
    print(f"{_where(engine)}：重新计算 {count} 个办件")
    return 0
