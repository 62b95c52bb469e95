"""The staff side through the test client: sign-in, roles, the workflow, the audit log, access control."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from feedback_helpers import PASSWORD, act, add_staff, form_values, get_message, login, receipt, soup, submit
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from sunshine.feedback import db
from sunshine.feedback.models import AuditEntry

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def flashes(client: FlaskClient, number: str) -> list[str]:
    return [n.text for n in soup(client.get(f"/admin/messages/{number}").data).select(".notice")]


def test_every_admin_url_refuses_anonymous_visitors(feedback_app: Flask) -> None:
    client = feedback_app.test_client()
    checked = 0
    for rule in feedback_app.url_map.iter_rules():
        if not rule.rule.startswith("/admin/") or rule.endpoint == "admin.login":
            continue
        url = rule.rule
        for arg in rule.arguments:
            url = url.replace(f"<int:{arg}>", "1").replace(f"<{arg}>", "TS-20260101-0001")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code in (302, 400, 401, 403), (method, url, response.status_code)
            if response.status_code == 302:
                assert response.headers["Location"].startswith("/admin/login")
            checked += 1
    assert checked >= 5


def test_login_wrong_password_and_logout(feedback_app: Flask, feedback_client: FlaskClient) -> None:
    add_staff(feedback_app, "admin", "管理员")
    bad = login(feedback_client, "admin", "wrong password!")
    assert bad.status_code == 400
    page = soup(bad.data)
    assert page.title.text.startswith("错误：") and page.select_one(".error-summary a")["href"] == "#username"
    assert login(feedback_client, "nobody", "whatever12345").status_code == 400
    ok = login(feedback_client, "admin")
    assert ok.status_code == 303
    assert feedback_client.get("/admin/").status_code == 200
    page = soup(feedback_client.get("/admin/").data)
    out = feedback_client.post("/admin/logout", data=form_values(page, "nav.admin-nav form"))
    assert out.status_code == 303
    assert feedback_client.get("/admin/").status_code == 302
    with db.session_scope(feedback_app) as session:
        actions = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-4:] == ["login_failed", "login_failed", "login", "logout"]


def test_login_never_redirects_off_site(feedback_app: Flask, feedback_client: FlaskClient) -> None:
    add_staff(feedback_app, "admin", "管理员")
    page = soup(feedback_client.get("/admin/login?next=//evil.example/").data)
    data = {**form_values(page, "form.login-form"), "username": "admin", "password": "correct horse battery"}
    response = feedback_client.post("/admin/login?next=//evil.example/", data=data)
    assert response.headers["Location"] == "/admin/"


def test_disabled_user_is_signed_out(feedback_app: Flask, feedback_client: FlaskClient) -> None:
    from sunshine.feedback import auth

    add_staff(feedback_app, "temp", "管理员")
    login(feedback_client, "temp")
    assert feedback_client.get("/admin/").status_code == 200
    with db.session_scope(feedback_app) as session:
        auth.disable_user(session, "temp")
    assert feedback_client.get("/admin/").status_code == 302
    assert login(feedback_client, "temp").status_code == 400


def test_full_workflow_with_audit(feedback_app: Flask) -> None:
    citizen = feedback_app.test_client()
    number, _ = receipt(citizen, submit(citizen, "投诉", query="&item=canyin-fuwu-xuke"))
    add_staff(feedback_app, "food", "部门办理员", "shiyaojian")
    staff = feedback_app.test_client()
    login(staff, "food")
    listing = soup(staff.get("/admin/?status=待受理&kind=投诉").data)
    assert [a.text for a in listing.select(".admin-table a")] == [number]
    page = soup(staff.get(f"/admin/messages/{number}").data)
    assert "张三，13800138000" in page.get_text()  # staff see the contact details
    act(staff, number, "accept")
    act(staff, number, "start")
    act(staff, number, "publish_reply")  # refused: nothing drafted yet
    assert "请先起草答复" in flashes(staff, number)[0]
    act(staff, number, "draft_reply", reply="已约谈窗口负责人。")
    message = get_message(feedback_app, number)
    assert message.reply == "已约谈窗口负责人。" and message.answered_at is None  # a draft is unseen
    status = soup(citizen.get(f"/feedback/track/{number}").data)
    assert status.select_one(".reply-body") is None
    act(staff, number, "publish_reply")
    act(staff, number, "set_public", public="y")
    act(staff, number, "close")
    message = get_message(feedback_app, number)
    assert message.status == "已办结" and message.public
    assert (
        message.answered_at is not None and message.published_at is not None and message.closed_at is not None
    )
    assert message.answered_at <= message.published_at
    status = soup(citizen.get(f"/feedback/track/{number}").data)
    assert status.select_one(".reply-body").text == "已约谈窗口负责人。"
    assert [e.text for e in status.select(".timeline-action")] == ["提交", "受理", "开始办理", "答复", "办结"]
    with db.session_scope(feedback_app) as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "accept")).all()
        assert len(entries) == 1
        entry = entries[0]
        assert entry.actor == "food" and entry.user.username == "food"
        assert entry.before["status"] == "待受理" and entry.after["status"] == "已受理"
        assert entry.after["accepted_at"] is not None and entry.before["accepted_at"] is None


def test_reject_needs_a_reason_and_transfer_moves_the_message(feedback_app: Flask) -> None:
    citizen = feedback_app.test_client()
    first, _ = receipt(citizen, submit(citizen, "咨询", query="&department=zwzx"))
    second, _ = receipt(citizen, submit(citizen, "咨询", query="&department=zwzx"))
    add_staff(feedback_app, "center", "部门办理员", "zwzx")
    add_staff(feedback_app, "food", "部门办理员", "shiyaojian")
    staff = feedback_app.test_client()
    login(staff, "center")
    act(staff, first, "reject", reason="")
    assert "不予受理须说明理由" in flashes(staff, first)[0]
    act(staff, first, "reject", reason="不属于本中心职责范围")
    assert get_message(feedback_app, first).status == "不予受理"
    act(staff, second, "transfer", department="shiyaojian", reason="属食药监职责")
    moved = get_message(feedback_app, second)
    assert (
        moved.department_id == "shiyaojian"
        and moved.about_department_id == "zwzx"
        and moved.status == "待受理"
    )
    # The message has left the first department's sight and reached the second's.
    assert staff.get(f"/admin/messages/{second}").status_code == 404
    other = feedback_app.test_client()
    login(other, "food")
    assert other.get(f"/admin/messages/{second}").status_code == 200
    timeline = soup(citizen.get(f"/feedback/track/{second}").data).select(".timeline-entry")
    assert "属食药监职责" in timeline[-1].text


def test_handler_sees_only_their_department(feedback_app: Flask) -> None:
    citizen = feedback_app.test_client()
    mine, _ = receipt(citizen, submit(citizen, "咨询", query="&department=shiyaojian"))
    theirs, _ = receipt(citizen, submit(citizen, "咨询", query="&department=zwzx"))
    add_staff(feedback_app, "food", "部门办理员", "shiyaojian")
    staff = feedback_app.test_client()
    login(staff, "food")
    listed = [a.text for a in soup(staff.get("/admin/").data).select(".admin-table a")]
    assert listed == [mine]
    assert staff.get(f"/admin/messages/{theirs}").status_code == 404
    data = form_values(soup(staff.get(f"/admin/messages/{mine}").data), "form.action-form")
    assert staff.post(f"/admin/messages/{theirs}/act", data={**data, "action": "accept"}).status_code == 404
    assert get_message(feedback_app, theirs).status == "待受理"
    assert staff.get("/admin/audit").status_code == 403


def test_supervisor_reads_everything_and_changes_nothing(feedback_app: Flask) -> None:
    citizen = feedback_app.test_client()
    number, _ = receipt(citizen, submit(citizen, "投诉"))
    add_staff(feedback_app, "eye", "监察员")
    staff = feedback_app.test_client()
    login(staff, "eye")
    page = soup(staff.get(f"/admin/messages/{number}").data)
    assert page.select_one("h1").text.startswith(number)
    assert page.select("form.action-form") == []
    token = page.select_one("nav.admin-nav input[name=csrf_token]")["value"]
    staff.post(f"/admin/messages/{number}/act", data={"csrf_token": token, "action": "accept"})
    assert get_message(feedback_app, number).status == "待受理"
    assert "您无权办理此留言" in flashes(staff, number)[0]
    assert staff.get("/admin/audit").status_code == 200


def test_attachment_download_is_staff_only_and_audited(feedback_app: Flask) -> None:
    citizen = feedback_app.test_client()
    number, _ = receipt(citizen, submit(citizen, "投诉", attachment=(io.BytesIO(PNG), "现场照片.png")))
    add_staff(feedback_app, "admin", "管理员")
    staff = feedback_app.test_client()
    login(staff, "admin")
    link = soup(staff.get(f"/admin/messages/{number}").data).select_one("a[href^='/admin/attachments/']")
    assert citizen.get(link["href"]).status_code == 302
    response = staff.get(link["href"])
    try:
        assert response.status_code == 200 and response.data == PNG
        assert response.headers["Content-Type"] == "image/png"
        assert "attachment" in response.headers["Content-Disposition"]
    finally:
        response.close()
    with db.session_scope(feedback_app) as session:
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "download_attachment"))


def test_every_post_without_csrf_token_is_refused(feedback_app: Flask) -> None:
    """CSRFProtect is the one CSRF check (forms carry none): walk the URL map and post to every route
    without a token, as a citizen and as a signed-in admin; each is refused and nothing changes."""
    add_staff(feedback_app, "admin", "管理员")
    citizen = feedback_app.test_client()
    number, code = receipt(citizen, submit(citizen, "投诉"))
    staff = feedback_app.test_client()
    assert login(staff, "admin").status_code == 303
    fields = {
        "action": "accept",
        "note": "请尽快办理",
        "number": number,
        "code": code,
        "satisfied": "1",
        "kind": "建议",
        "title": "标题",
        "body": "内容",
        "name": "张三",
        "phone": "13800138000",
        "username": "admin",
        "password": PASSWORD,
    }

    def log_size() -> int:
        with db.session_scope(feedback_app) as session:
            return len(session.scalars(select(AuditEntry)).all())

    before = log_size()
    posted = set()
    for rule in feedback_app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        url = rule.rule
        for arg in rule.arguments:
            url = url.replace(f"<int:{arg}>", "1").replace(f"<{arg}>", number)
        for client in (citizen, staff):
            response = client.post(url, data=fields)
            # The events API takes a bearer token and no cookies: exempt from CSRF, refused without the token.
            expected = 401 if rule.endpoint == "ledger_api.events" else 400
            assert response.status_code == expected, (url, response.status_code)
        posted.add(rule.endpoint)
    assert {"feedback.new", "feedback.status", "admin.login", "admin.logout", "admin.message_act"} <= posted
    assert "supervision.send_urge" in posted
    assert log_size() == before
    assert get_message(feedback_app, number).status == "待受理"
    assert staff.get("/admin/").status_code == 200  # the refused logout did not sign out


@pytest.mark.parametrize("limit", ["3 per minute"])
def test_login_is_rate_limited(make_feedback_app: Callable[..., Flask], limit: str) -> None:
    app = make_feedback_app(FEEDBACK_LOGIN_LIMIT=limit)
    add_staff(app, "admin", "管理员")
    client = app.test_client()
    codes = [login(client, "admin", "wrong password!").status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]
