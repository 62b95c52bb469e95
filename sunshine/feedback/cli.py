"""Staff command line: ``build.py user add|passwd|disable`` and ``build.py db upgrade``.

Passwords come from an interactive prompt (typed twice) or, for scripts, from
the first line of standard input with ``--password-stdin``; never from an
argument, which would leave them in the shell history and the process list.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from sunshine import DEMO_CONTENT

from .models import ROLES


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add this subsystem's commands to build.py."""
    p_user = sub.add_parser("user", help="manage staff accounts of the feedback server")
    user_sub = p_user.add_subparsers(dest="user_command", required=True)

    p_add = user_sub.add_parser("add", help="create a staff account")
    p_add.add_argument("name")
    p_add.add_argument("--role", required=True, choices=ROLES)
    p_add.add_argument("--department", metavar="ID", help="department id (required for 部门办理员)")
    p_add.add_argument(
        "--content", type=Path, default=DEMO_CONTENT, help="content folder the department is in"
    )
    _password_arg(p_add)
    p_add.set_defaults(func=_cmd_user_add)

    p_passwd = user_sub.add_parser("passwd", help="set a staff account's password")
    p_passwd.add_argument("name")
    _password_arg(p_passwd)
    p_passwd.set_defaults(func=_cmd_user_passwd)

    p_disable = user_sub.add_parser("disable", help="disable a staff account (it can no longer sign in)")
    p_disable.add_argument("name")
    p_disable.set_defaults(func=_cmd_user_disable)

    p_db = sub.add_parser("db", help="feedback database")
    db_sub = p_db.add_subparsers(dest="db_command", required=True)
    p_upgrade = db_sub.add_parser("upgrade", help="migrate the feedback database to the latest schema")
    p_upgrade.set_defaults(func=_cmd_db_upgrade)

    for parser in (p_add, p_passwd, p_disable, p_upgrade):
        parser.add_argument(
            "--database", metavar="URL", help="database URL (default: DATABASE_URL or instance/)"
        )
        parser.add_argument("--instance", metavar="DIR", help="instance folder (default: Flask's)")

    from . import ops_cli

    ops_cli.register(sub)  # build.py feedback overdue (the supervision report for cron)


def _password_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--password-stdin", action="store_true", help="read the password from standard input")


def _app(args: argparse.Namespace) -> Any:
    """The feedback app for a command: the same configuration as the server, without migrating on start."""
    from sunshine import create_app

    config: dict[str, Any] = {"FEEDBACK_ENABLED": True, "FEEDBACK_AUTO_MIGRATE": False}
    if args.database:
        config["DATABASE_URL"] = args.database
    if args.instance:
        config["INSTANCE_PATH"] = args.instance
    return create_app(config)


def _password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("密码: ")
    if first != getpass.getpass("再次输入密码: "):
        print("两次输入的密码不一致", file=sys.stderr)
        return None
    return first


def _account(args: argparse.Namespace, change: Any) -> int:
    from . import auth, db

    app = _app(args)
    db.upgrade(db.get_engine(app))
    try:
        with db.session_scope(app) as session:
            user = change(session, auth)
            message = f"{user.username}: {user.role}" + (
                f" ({user.department_id})" if user.department_id else ""
            )
    except auth.AccountError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    print(message)
    return 0


def _cmd_user_add(args: argparse.Namespace) -> int:
    if args.department is not None:
        from sunshine import create_app

        departments = _departments(create_app, args.content)
        if args.department not in departments:
            print(f"错误：没有 id 为 {args.department} 的部门", file=sys.stderr)
            return 2
    password = _password(args)
    if password is None:
        return 2
    return _account(args, lambda s, auth: auth.add_user(s, args.name, password, args.role, args.department))


def _departments(create_app: Any, content: Path) -> set[str]:
    from sunshine.store import get_content

    app = create_app({"CONTENT_DIR": str(content)})
    with app.app_context():
        return set(get_content().departments)


def _cmd_user_passwd(args: argparse.Namespace) -> int:
    password = _password(args)
    if password is None:
        return 2
    return _account(args, lambda s, auth: auth.set_password(s, args.name, password))


def _cmd_user_disable(args: argparse.Namespace) -> int:
    return _account(args, lambda s, auth: auth.disable_user(s, args.name))


def _cmd_db_upgrade(args: argparse.Namespace) -> int:
    from . import db

    app = _app(args)
    engine = db.get_engine(app)
    db.upgrade(engine)
    print(f"{engine.url.render_as_string(hide_password=True)}: schema at {db.current_revision(engine)}")
    return 0
