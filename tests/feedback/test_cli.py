"""``build.py user …`` and ``build.py db upgrade``: accounts made at the command line sign in on the web."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from feedback_helpers import SCHEMA_HEAD, login
from sqlalchemy import select

from sunshine import create_app
from sunshine.cli import main
from sunshine.feedback import db
from sunshine.feedback.models import AuditEntry, User

GOOD = "a long password 1\n"


def test_user_commands(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mini_content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    instance = str(tmp_path / "inst")

    def run(stdin: str, *argv: str) -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        return main([*argv, "--instance", instance])

    def add(stdin: str, *argv: str) -> int:
        return run(stdin, "user", "add", *argv, "--password-stdin", "--content", str(mini_content))

    assert run("", "db", "upgrade") == 0
    assert f"schema at {SCHEMA_HEAD}" in capsys.readouterr().out
    assert add(GOOD, "wang", "--role", "部门办理员", "--department", "no-such-dept") == 2
    assert "no-such-dept" in capsys.readouterr().err
    assert add("short\n", "li", "--role", "管理员") == 2
    assert "至少" in capsys.readouterr().err
    assert add(GOOD, "li", "--role", "部门办理员") == 2
    assert "--department" in capsys.readouterr().err
    assert add(GOOD, "li", "--role", "管理员") == 0
    assert add(GOOD, "li", "--role", "管理员") == 2
    assert "已存在" in capsys.readouterr().err
    assert add(GOOD, "wang", "--role", "部门办理员", "--department", "shiyaojian") == 0
    assert run("another password 2\n", "user", "passwd", "li", "--password-stdin") == 0

    app = create_app(
        {
            "TESTING": True,
            "FEEDBACK_ENABLED": True,
            "INSTANCE_PATH": instance,
            "CONTENT_DIR": str(mini_content),
        }
    )
    client = app.test_client()
    assert login(client, "li", GOOD.strip()).status_code == 400
    assert login(client, "li", "another password 2").status_code == 303

    assert run("", "user", "disable", "li") == 0
    assert run("", "user", "disable", "nobody") == 2
    assert client.get("/admin/").status_code == 302
    with db.session_scope(app) as session:
        user = session.scalar(select(User).where(User.username == "li"))
        assert user.active is False and user.password_hash.startswith("$argon2")
        wang = session.scalar(select(User).where(User.username == "wang"))
        assert (wang.role, wang.department_id) == ("部门办理员", "shiyaojian")
        actions = [
            e.action for e in session.scalars(select(AuditEntry).where(AuditEntry.target == "user:li"))
        ]
    assert actions == ["user_add", "user_passwd", "user_disable"]
    db.get_engine(app).dispose()
